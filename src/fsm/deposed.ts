// A deposed peer stops PostgreSQL and stays stopped: its WAL may have diverged; only a rebuild brings it back.
import type { ClusterState } from '../schema/index.js';
import { coordIdle, coordReady, writeState } from './coord-ops.js';
import { logInfo, logWarn, patch, type Draft } from './draft.js';
import { pgIdle, rebuildData, stopPg } from './pg-ops.js';
import { isPresent } from './roles.js';
import { decided, waiting } from './sentences.js';
import type { Waiting } from './waiting.js';

function wantsRebuild(d: Draft): boolean {
  return d.state.config.rebuildPolicy === 'auto' || d.state.rebuild.requested;
}

function mayRetryRebuild(d: Draft): boolean {
  const failedAt = d.state.rebuild.failedAtMs;
  return failedAt === null || d.nowMs - failedAt >= d.state.config.rebuildRetryMs;
}

/** Rebuilt from the primary still in office: leave the deposed list (same generation) so that it appends me as an async. */
function rejoin(d: Draft, state: ClusterState, version: number): void {
  if (!coordIdle(d) || !coordReady(d)) return;
  const next: ClusterState = { ...state, deposed: state.deposed.filter((peer) => peer.id !== d.state.self.id) };
  writeState(d, { purpose: 'rejoin', state: next, sentence: decided.rejoin(state.generation, state.primary.id) }, version);
}

export function actAsDeposed(d: Draft, state: ClusterState, version: number): void {
  const status = d.state.pg.status;
  if (status === null || !d.state.pg.statusFresh || !pgIdle(d)) return;
  if (status.running) {
    stopPg(d);
    return;
  }
  const rebuild = d.state.rebuild;
  if (rebuild.done && rebuild.sourceId === state.primary.id && status.dataRole === 'standby') {
    rejoin(d, state, version);
    return;
  }
  if (!wantsRebuild(d) || !coordReady(d) || !mayRetryRebuild(d)) return;
  // The copy comes from the primary's backup server (or PostgreSQL): it must be there to ask.
  if (!isPresent(d.state.coord.active, state.primary.id)) return;
  patch(d, { rebuild: { ...rebuild, sourceId: state.primary.id, done: false } });
  logInfo(d, decided.rebuilding(state.primary.id, rebuild.requested ? 'an operator asked for it' : 'rebuildPolicy is auto'));
  rebuildData(d, state.primary);
}

/** The rebuild's own result; the rejoin write follows on the next reconcile. */
export function absorbRebuildResult(d: Draft, ok: boolean): void {
  const rebuild = d.state.rebuild;
  if (ok) patch(d, { rebuild: { ...rebuild, done: true, failedAtMs: null } });
  else patch(d, { rebuild: { ...rebuild, done: false, failedAtMs: d.nowMs } });
}

export function absorbRebuildRequest(d: Draft): void {
  if (d.state.role !== 'deposed') {
    logWarn(d, decided.rebuildRefused(d.state.role));
    return;
  }
  patch(d, { rebuild: { ...d.state.rebuild, requested: true, failedAtMs: null } });
  logInfo(d, decided.rebuildRequested());
}

/** Leaving the deposed role forgets the rebuild: a later deposition needs a new copy. */
export function forgetRebuild(d: Draft): void {
  const rebuild = d.state.rebuild;
  if (rebuild.requested || rebuild.done || rebuild.sourceId !== null || rebuild.failedAtMs !== null) {
    patch(d, { rebuild: { requested: false, sourceId: null, done: false, failedAtMs: null } });
  }
}

export function deposedWaiting(d: Draft, state: ClusterState): Waiting {
  const rebuild = d.state.rebuild;
  if (d.state.pending.pg?.op === 'rebuild') return { code: 'rebuilding', sentence: waiting.rebuilding(rebuild.sourceId ?? state.primary.id) };
  if (rebuild.done && rebuild.sourceId === state.primary.id) return { code: 'rejoining', sentence: waiting.rejoining(state.primary.id) };
  if (!wantsRebuild(d)) return { code: 'deposed', sentence: waiting.deposed() };
  if (!isPresent(d.state.coord.active, state.primary.id)) return { code: 'rebuild-no-source', sentence: waiting.rebuildNoSource(state.primary.id) };
  if (rebuild.failedAtMs !== null) return { code: 'rebuild-retry', sentence: waiting.rebuildRetry(d.state.config.rebuildRetryMs) };
  return { code: 'deposed-rebuild', sentence: waiting.rebuilding(state.primary.id) };
}
