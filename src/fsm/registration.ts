// Keeping our election node and our view of coordination current: register, give up, re-read after reconnects and conflicts.
import { coordIdle, mayRetryCoord, readCoordination, register, unregister } from './coord-ops.js';
import { logInfo, type Draft } from './draft.js';
import { storageVerdict, type StorageVerdict } from './rules/storage.js';
import { decided } from './sentences.js';

/** Rule 14 off the primary: a peer on stalled storage must not be chosen as the new sync, so it stays out meanwhile. */
function storageKeepsMeOut(d: Draft): Extract<StorageVerdict, { kind: 'stalled' }> | null {
  if (d.state.role === 'primary') return null;
  const storage = storageVerdict(d.state, d.nowMs);
  return storage.kind === 'stalled' ? storage : null;
}

/** A primary that gave up stays out of the election until it decides to come back. */
function wantRegistered(d: Draft): boolean {
  return d.state.gaveUp === null && d.state.shutdown === null && storageKeepsMeOut(d) === null;
}

/** Read first (coordination init), then register: a returning peer sees the state as it is before it reappears. */
export function driveRegistration(d: Draft): void {
  const coord = d.state.coord;
  if (!coordIdle(d) || coord.session !== 'connected') return;
  const registered = coord.registration.kind === 'registered';
  if (registered && !wantRegistered(d)) {
    const stalled = storageKeepsMeOut(d);
    if (stalled !== null && d.state.gaveUp === null && d.state.shutdown === null) logInfo(d, decided.leftElectionStorage(stalled.silentMs));
    unregister(d);
    return;
  }
  if (!mayRetryCoord(d)) return;
  if (!coord.fresh) readCoordination(d);
  else if (!registered && wantRegistered(d)) register(d);
}
