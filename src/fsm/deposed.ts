// A deposed peer stops PostgreSQL and stays stopped: its WAL may have diverged, only a rebuild brings it back.
import type { Draft } from './draft.js';
import { pgIdle, stopPg } from './pg-ops.js';

export function actAsDeposed(d: Draft): void {
  const status = d.state.pg.status;
  if (status === null || !d.state.pg.statusFresh || !pgIdle(d)) return;
  // rebuildPolicy 'auto' is modelled in config but automatic rebuild is a later feature: both policies wait.
  if (status.running) stopPg(d);
}
