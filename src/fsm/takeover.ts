// Executing the sync's takeover once rules/takeover.ts allows it: detached, freshly probed, then G+1 by compare-and-set.
import type { ClusterState } from '../schema/index.js';
import { coordIdle, writeState } from './coord-ops.js';
import type { Draft } from './draft.js';
import { takeoverState } from './next-state.js';
import { pgIdle } from './pg-ops.js';
import { walCheckPasses } from './rules/takeover.js';
import { decided } from './sentences.js';

/**
 * Writes G+1 once PostgreSQL is detached from the old primary (no more WAL can arrive, so the old primary
 * can no longer acknowledge anything) and a fresh probe confirms the WAL check; initWal becomes my flushed WAL.
 */
export function executeTakeover(d: Draft, state: ClusterState, version: number): void {
  const status = d.state.pg.status;
  if (!coordIdle(d) || !pgIdle(d) || status === null || !d.state.pg.statusFresh) return;
  if (!status.running || status.upstream !== null || status.dataRole !== 'standby') return;
  if (!walCheckPasses(d, state)) return;
  const next = takeoverState(state, d.state.coord.active, status.walLsn);
  if (next === null) return;
  const sentence = decided.takeover(next, state.primary.id, status.replayLsn, state.initWal);
  writeState(d, { purpose: 'takeover', state: next, sentence }, version);
}
