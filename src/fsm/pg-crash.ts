// A primary whose PostgreSQL stays down past its restart budget gives up its election node so the sync takes over at once.
import type { ClusterState } from '../schema/index.js';
import { coordReady } from './coord-ops.js';
import { logInfo, patch, patchPg, type Draft } from './draft.js';
import { mayRetryPg, pgIdle, startPg } from './pg-ops.js';
import { isPresent, presentAsyncs } from './roles.js';
import { decided } from './sentences.js';
import { armTimer, cancelTimer } from './timers.js';
import type { PrimaryPgTarget } from './types.js';

export function primaryTarget(state: ClusterState, writable: boolean): PrimaryPgTarget {
  const syncStandby = state.oneNodeWriteMode === true ? null : (state.sync?.id ?? null);
  return { role: 'primary', syncStandby, writable };
}

/** Why giving up would not bring a takeover (so the primary keeps restarting instead), or null. */
export function giveUpBlocker(d: Draft, state: ClusterState): string | null {
  if (!coordReady(d)) return 'I cannot reach the coordination service to leave the election';
  if (state.oneNodeWriteMode === true) return 'one-node-write mode has no sync to take over';
  if (state.freeze !== undefined) return `the cluster is frozen (${state.freeze.reason})`;
  const sync = state.sync;
  if (sync === null || !isPresent(d.state.coord.active, sync.id)) return 'my sync is not registered';
  if (presentAsyncs(state, d.state.coord.active).length === 0) return 'no async is present, so my sync could not take over';
  const caughtUp = d.state.pg.caughtUp;
  if (caughtUp?.generation !== state.generation || caughtUp.syncId !== sync.id) {
    return 'my sync has not caught up in this generation, so it could not take over';
  }
  return null;
}

export function downForMs(d: Draft): number {
  const since = d.state.pg.downSinceMs;
  return since === null ? 0 : d.nowMs - since;
}

/** PostgreSQL is down on the primary: restart it, and give up once the budget is spent and a takeover can follow. */
export function onPrimaryPgDown(d: Draft, state: ClusterState): void {
  if (d.state.pg.downSinceMs === null) {
    patchPg(d, { downSinceMs: d.nowMs });
    armTimer(d, 'pgRestartBudget', d.state.config.pgRestartBudgetMs);
  }
  const downMs = downForMs(d);
  if (downMs >= d.state.config.pgRestartBudgetMs && giveUpBlocker(d, state) === null) {
    patch(d, { gaveUp: { generation: state.generation, atMs: d.nowMs } });
    logInfo(d, decided.gaveUp(state.generation, downMs, state.sync?.id ?? 'nobody', !d.state.pg.seenRunning));
    cancelTimer(d, 'pgRestartBudget');
    armTimer(d, 'giveUpRetry', d.state.config.giveUpRetryMs);
    return;
  }
  if (pgIdle(d) && mayRetryPg(d)) startPg(d, primaryTarget(state, false));
}

export function onPrimaryPgUp(d: Draft): void {
  if (d.state.pg.downSinceMs === null) return;
  patchPg(d, { downSinceMs: null });
  cancelTimer(d, 'pgRestartBudget');
}

/** After giving up: if nobody took over in time (still primary of the same generation), register and restart again. */
export function reconsiderGiveUp(d: Draft, state: ClusterState): void {
  const gaveUp = d.state.gaveUp;
  if (gaveUp === null) return;
  const waitedMs = d.nowMs - gaveUp.atMs;
  if (gaveUp.generation === state.generation && waitedMs < d.state.config.giveUpRetryMs) return;
  patch(d, { gaveUp: null });
  patchPg(d, { downSinceMs: null });
  cancelTimer(d, 'giveUpRetry');
  logInfo(d, decided.registerAgain(state.generation, waitedMs));
}
