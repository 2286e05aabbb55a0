// Sync and async peers: keep PostgreSQL a standby of their upstream in the chain; the sync also watches for a takeover.
import type { ClusterState, Peer } from '../schema/index.js';
import { coordReady } from './coord-ops.js';
import type { Draft } from './draft.js';
import { mayRetryPg, pgIdle, reconfigurePg, startPg } from './pg-ops.js';
import { upstreamOf } from './roles.js';
import { mayTakeOver } from './rules/takeover.js';
import { executeTakeover } from './takeover.js';

/** Start PostgreSQL as a standby of `upstream`, or re-point it there by reload when it follows someone else. */
export function driveStandbyPg(d: Draft, upstream: Peer | null): void {
  const status = d.state.pg.status;
  if (status === null || !d.state.pg.statusFresh || !pgIdle(d)) return;
  if (!status.running) {
    if (mayRetryPg(d)) startPg(d, { role: 'standby', upstream });
    return;
  }
  if (status.upstream !== (upstream?.id ?? null)) reconfigurePg(d, { role: 'standby', upstream });
}

/**
 * Once detached for a takeover, stay detached until its outcome is known from a fresh view: re-attaching
 * while G+1 may already be written would let the deposed primary acknowledge commits again.
 */
function holdDetached(d: Draft): boolean {
  const pending = d.state.pending.coord;
  if ((pending?.op === 'write' && pending.purpose === 'takeover') || d.state.writeInDoubt !== null) return true;
  // Also across a PostgreSQL restart: its configuration still says "no upstream" until a fresh view decides.
  return d.state.pg.status?.upstream === null && !coordReady(d);
}

export function actAsSync(d: Draft, state: ClusterState, version: number): void {
  const check = mayTakeOver(d, state);
  // Ready to take over: detach from the old primary first, so it cannot acknowledge anything after G+1.
  driveStandbyPg(d, check.kind === 'ready' || holdDetached(d) ? null : state.primary);
  if (check.kind === 'ready') executeTakeover(d, state, version);
}

export function actAsAsync(d: Draft, state: ClusterState): void {
  driveStandbyPg(d, upstreamOf(state, d.state.self.id));
}
