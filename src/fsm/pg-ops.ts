// Issuing PostgreSQL operations one at a time: a second operation is never started while one is in flight.
import { emit, patchPending, takeOpId, type Draft } from './draft.js';
import type { Peer } from '../schema/index.js';
import { storageVerdict } from './rules/storage.js';
import type { PgOpKind, PgTarget } from './types.js';

export function pgIdle(d: Draft): boolean {
  return d.state.pending.pg === null;
}

/** After a failed operation, the next attempt waits one probe interval (no hot retry loop). */
export function mayRetryPg(d: Draft): boolean {
  const failedAt = d.state.pg.lastFailureAtMs;
  return failedAt === null || d.nowMs - failedAt >= d.state.config.probeIntervalMs;
}

function begin(d: Draft, op: PgOpKind): number {
  const opId = takeOpId(d);
  patchPending(d, { pg: { opId, op } });
  return opId;
}

export function fetchPgStatus(d: Draft): void {
  emit(d, { kind: 'fetchPgStatus', opId: begin(d, 'fetchStatus') });
}

export function fetchReplication(d: Draft): void {
  emit(d, { kind: 'fetchReplicationStatus', opId: begin(d, 'fetchReplication') });
}

export function startPg(d: Draft, target: PgTarget): void {
  emit(d, { kind: 'startPg', opId: begin(d, 'start'), target });
}

export function rebuildData(d: Draft, source: Peer): void {
  emit(d, { kind: 'rebuildData', opId: begin(d, 'rebuild'), source });
}

/** Fast, unless my storage has stalled: a fast shutdown's checkpoint would hang on it (rule 14). */
export function stopPg(d: Draft): void {
  const mode = storageVerdict(d.state, d.nowMs).kind === 'stalled' ? 'immediate' : 'fast';
  emit(d, { kind: 'stopPg', opId: begin(d, 'stop'), mode });
}

export function promotePg(d: Draft): void {
  emit(d, { kind: 'promotePg', opId: begin(d, 'promote') });
}

export function reconfigurePg(d: Draft, target: PgTarget): void {
  emit(d, { kind: 'reconfigurePg', opId: begin(d, 'reconfigure'), target });
}

/** Probes PostgreSQL when the last probe is older than the last operation or the last tick. */
export function ensureFreshStatus(d: Draft): boolean {
  if (d.state.pg.status !== null && d.state.pg.statusFresh) return true;
  if (pgIdle(d)) fetchPgStatus(d);
  return false;
}
