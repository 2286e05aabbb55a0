// A primary whose PostgreSQL stays down past its restart budget, or whose storage stalls, gives up its election node so the sync takes over at once.
import type { ClusterState } from '../schema/index.js';
import { logInfo, patch, patchPg, type Draft } from './draft.js';
import { mayRetryPg, pgIdle, startPg } from './pg-ops.js';
import { mayGiveUp } from './rules/give-up.js';
import { storageVerdict } from './rules/storage.js';
import { decided } from './sentences.js';
import { armTimer, cancelTimer } from './timers.js';
import type { GiveUpCause, PrimaryPgTarget } from './types.js';

export function primaryTarget(state: ClusterState, writable: boolean): PrimaryPgTarget {
  const syncStandby = state.oneNodeWriteMode === true ? null : (state.sync?.id ?? null);
  return { role: 'primary', syncStandby, writable };
}

/** Leave the election (registration.ts) and stop PostgreSQL (primary-pg.ts) so that my sync takes over at once. */
export function giveUp(d: Draft, state: ClusterState, cause: GiveUpCause, sentence: string): void {
  patch(d, { gaveUp: { generation: state.generation, atMs: d.nowMs, cause } });
  logInfo(d, sentence);
  cancelTimer(d, 'pgRestartBudget');
  armTimer(d, 'giveUpRetry', d.state.config.giveUpRetryMs);
}

/** Rule 14 on the primary: stalled storage is given up on exactly like a PostgreSQL that cannot restart. */
export function giveUpOnStalledStorage(d: Draft, state: ClusterState): void {
  if (d.state.gaveUp !== null) return;
  const storage = storageVerdict(d.state, d.nowMs);
  if (storage.kind !== 'stalled' || mayGiveUp(d, state).kind !== 'may') return;
  giveUp(d, state, 'storageStalled', decided.gaveUpStorage(state.generation, storage.silentMs, state.sync?.id ?? 'nobody'));
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
  if (downMs >= d.state.config.pgRestartBudgetMs && mayGiveUp(d, state).kind === 'may') {
    giveUp(d, state, 'pgDown', decided.gaveUp(state.generation, downMs, state.sync?.id ?? 'nobody', !d.state.pg.seenRunning));
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
