// Folding PostgreSQL observations into what the sitter knows; results of operations it no longer waits for are ignored.
import { absorbRebuildResult } from './deposed.js';
import { logWarn, patchPending, patchPg, type Draft } from './draft.js';
import type { Observation } from './observations.js';
import { decided } from './sentences.js';
import type { OpId, PgOpKind } from './types.js';

type Of<K extends Observation['kind']> = Extract<Observation, { kind: K }>;

function settles(d: Draft, opId: OpId): PgOpKind | null {
  const pending = d.state.pending.pg;
  if (pending === null || pending.opId !== opId) return null;
  patchPending(d, { pg: null });
  return pending.op;
}

export function absorbPgStatus(d: Draft, obs: Of<'pgStatus'>): void {
  const seenRunning = d.state.pg.seenRunning || obs.status.running;
  if (obs.opId === null) {
    // Pushed by the runner (e.g. the postmaster exited): current only if no operation is changing things.
    patchPg(d, { status: obs.status, statusFresh: d.state.pending.pg === null, seenRunning });
    return;
  }
  if (settles(d, obs.opId) === null) return;
  patchPg(d, { status: obs.status, statusFresh: true, seenRunning });
}

export function absorbReplication(d: Draft, obs: Of<'replicationStatus'>): void {
  if (settles(d, obs.opId) === null) return;
  patchPg(d, { replication: obs.status, replicationFresh: true });
}

/** Any completed operation makes earlier probes stale: the next decision needs a new one. */
export function absorbPgResult(d: Draft, obs: Of<'pgOpOk'> | Of<'pgOpFailed'>): void {
  const op = settles(d, obs.opId);
  if (op === null) return;
  const pg = d.state.pg;
  patchPg(d, { statusFresh: false, replicationFresh: false });
  if (op === 'rebuild') absorbRebuildResult(d, obs.kind === 'pgOpOk');
  if (obs.kind === 'pgOpOk') {
    if (op === 'start') patchPg(d, { pgStarts: pg.pgStarts + 1 });
    return;
  }
  patchPg(d, { lastFailureAtMs: d.nowMs });
  logWarn(d, decided.pgOpFailed(op, obs.error));
}
