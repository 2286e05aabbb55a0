// Keeping our election node and our view of coordination current: register, give up, re-read after reconnects and conflicts.
import { coordIdle, mayRetryCoord, readCoordination, register, unregister } from './coord-ops.js';
import type { Draft } from './draft.js';

/** A primary that gave up stays out of the election until it decides to come back. */
function wantRegistered(d: Draft): boolean {
  return d.state.gaveUp === null && d.state.shutdown === null;
}

/** Read first (coordination init), then register: a returning peer sees the state as it is before it reappears. */
export function driveRegistration(d: Draft): void {
  const coord = d.state.coord;
  if (!coordIdle(d) || coord.session !== 'connected') return;
  const registered = coord.registration.kind === 'registered';
  if (registered && !wantRegistered(d)) {
    unregister(d);
    return;
  }
  if (!mayRetryCoord(d)) return;
  if (!coord.fresh) readCoordination(d);
  else if (!registered && wantRegistered(d)) register(d);
}
