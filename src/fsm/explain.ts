// Why the sitter is waiting, computed from what it knows (not from which action happens to be in flight).
import type { ClusterState } from '../schema/index.js';
import { bootstrapWaiting } from './bootstrap.js';
import { deposedWaiting } from './deposed.js';
import type { Draft } from './draft.js';
import { downForMs } from './pg-crash.js';
import { primaryPlan } from './primary-plan.js';
import { mayGiveUp } from './rules/give-up.js';
import { storageVerdict } from './rules/storage.js';
import { mayTakeOver } from './rules/takeover.js';
import { syncSeenCaughtUp } from './rules/write-gate.js';
import { waiting } from './sentences.js';
import type { Waiting } from './waiting.js';

function coordWaiting(d: Draft): Waiting | null {
  const coord = d.state.coord;
  if (coord.session === 'disconnected') return { code: 'disconnected', sentence: waiting.disconnected() };
  if (coord.session !== 'connected') return { code: 'no-session', sentence: waiting.noSession() };
  if (!coord.fresh) return { code: 'reading', sentence: waiting.reading() };
  if (coord.registration.kind !== 'registered') return { code: 'not-registered', sentence: waiting.notRegistered() };
  return null;
}

/** PostgreSQL is not running on the primary: a crash if this process saw it running, otherwise its first start. */
function pgDownWaiting(d: Draft, state: ClusterState): Waiting {
  const firstStart = !d.state.pg.seenRunning;
  const giveUp = mayGiveUp(d, state);
  if (downForMs(d) >= d.state.config.pgRestartBudgetMs && giveUp.kind === 'mayNot') {
    return firstStart
      ? { code: 'pg-first-start-no-give-up', sentence: waiting.pgFirstStartNoGiveUp(giveUp.why) }
      : { code: 'pg-down-no-give-up', sentence: waiting.pgDownNoGiveUp(giveUp.why) };
  }
  return firstStart
    ? { code: 'pg-first-start', sentence: waiting.pgFirstStart(state.generation) }
    : { code: 'pg-down', sentence: waiting.pgDown(d.state.config.pgRestartBudgetMs) };
}

function primaryWaiting(d: Draft, state: ClusterState): Waiting | null {
  const sync = state.sync;
  const gaveUp = d.state.gaveUp;
  if (gaveUp !== null) {
    return gaveUp.cause === 'storageStalled'
      ? { code: 'gave-up-storage', sentence: waiting.gaveUpStorage(sync?.id ?? 'nobody') }
      : { code: 'gave-up', sentence: waiting.gaveUp(sync?.id ?? 'nobody') };
  }
  const storage = storageVerdict(d.state, d.nowMs);
  if (storage.kind === 'stalled') {
    const giveUp = mayGiveUp(d, state);
    return giveUp.kind === 'mayNot'
      ? { code: 'storage-stalled-no-give-up', sentence: waiting.storageStalledNoGiveUp(storage.silentMs, giveUp.why) }
      : { code: 'storage-stalled-giving-up', sentence: waiting.storageStalledGivingUp(storage.silentMs) };
  }
  if (d.state.pg.status?.running === false) return pgDownWaiting(d, state);
  const { plan, blocked } = primaryPlan(d, state);
  if (blocked !== null) return blocked;
  if (plan?.kind === 'switchover') return { code: 'switchover', sentence: waiting.switchover(plan.target.id) };
  if (plan !== null) return { code: 'changing-sync', sentence: waiting.changingSync(state.generation + 1) };
  if (state.oneNodeWriteMode !== true && sync !== null && !syncSeenCaughtUp(d, state)) {
    return { code: 'catch-up', sentence: waiting.catchUp(sync.id) };
  }
  return null;
}

function syncWaiting(d: Draft, state: ClusterState): Waiting | null {
  const check = mayTakeOver(d, state);
  if (check.kind === 'blocked') return { code: check.code, sentence: waiting.takeoverBlocked(state.primary.id, check.why) };
  if (check.kind === 'ready') return { code: 'taking-over', sentence: waiting.takingOver(state.primary.id) };
  return null;
}

function roleWaiting(d: Draft, state: ClusterState): Waiting | null {
  switch (d.state.role) {
    case 'primary':
      return primaryWaiting(d, state);
    case 'sync':
      return syncWaiting(d, state);
    case 'deposed':
      return deposedWaiting(d, state);
    case 'unassigned':
      return state.oneNodeWriteMode === true
        ? { code: 'singleton-unassigned', sentence: waiting.singletonUnassigned() }
        : { code: 'unassigned', sentence: waiting.unassigned(state.primary.id) };
    case 'async':
    case 'none':
      return null;
  }
}

/** Off the primary, stalled storage keeps me out of the election (registration.ts), whatever else I wait for. */
function storageWaiting(d: Draft): Waiting | null {
  if (d.state.role === 'primary') return null;
  const storage = storageVerdict(d.state, d.nowMs);
  return storage.kind === 'stalled' ? { code: storage.code, sentence: waiting.storageStalledStandby(storage.silentMs) } : null;
}

export function explainWaiting(d: Draft): Waiting | null {
  const shutdown = d.state.shutdown;
  if (shutdown !== null) {
    const cluster = d.state.coord.cluster;
    const sync = cluster.kind === 'valid' ? cluster.state.sync : null;
    if (shutdown.handover && !shutdown.handoverDone && sync !== null) {
      return { code: 'shutdown-flush-wait', sentence: waiting.flushWait(sync.id) };
    }
    return { code: 'shutting-down', sentence: waiting.shuttingDown() };
  }
  const stalled = storageWaiting(d);
  if (stalled !== null) return stalled;
  const cluster = d.state.coord.cluster;
  switch (cluster.kind) {
    case 'invalid':
      return { code: 'invalid', sentence: waiting.invalid(cluster.problems) };
    case 'absent':
      return bootstrapWaiting(d) ?? coordWaiting(d);
    case 'unknown':
      return coordWaiting(d) ?? { code: 'reading', sentence: waiting.reading() };
    case 'valid':
      return roleWaiting(d, cluster.state) ?? coordWaiting(d);
  }
}
