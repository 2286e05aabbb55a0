// Graceful shutdown: a primary hands over (writes off, sync flushed, leave the election, stop); others just leave and stop.
import { lsnAtLeast, type ClusterState } from '../schema/index.js';
import { coordIdle, unregister } from './coord-ops.js';
import { emit, logInfo, patch, type Draft } from './draft.js';
import { ensureFreshStatus, pgIdle, reconfigurePg, stopPg } from './pg-ops.js';
import { requestReplication } from './primary-pg.js';
import { successorCouldTakeOver } from './rules/successor.js';
import { decided } from './sentences.js';
import { armTimer, cancelTimer } from './timers.js';
import type { Shutdown } from './types.js';

/**
 * Why no takeover could follow my leaving, so waiting for my sync to flush would only delay the exit; null when a
 * handover can happen. The flush itself is what the handover waits for, so it is not part of the prediction.
 */
function handoverBlocker(d: Draft, state: ClusterState): string | null {
  const successor = successorCouldTakeOver(state, d.state.coord.active, 'not-checked');
  return successor.kind === 'could' ? null : successor.why;
}

export function requestShutdown(d: Draft): void {
  if (d.state.shutdown !== null) return;
  const cluster = d.state.coord.cluster;
  const primary = d.state.role === 'primary' && cluster.kind === 'valid' && d.state.pg.status?.running === true;
  const blocker = primary ? handoverBlocker(d, cluster.state) : null;
  const handover = primary && blocker === null;
  patch(d, { shutdown: { requestedAtMs: d.nowMs, handover, handoverDone: !handover, syncConfirmed: false } });
  if (blocker !== null) logInfo(d, decided.shutdownNoHandover(blocker));
  else if (handover && cluster.kind === 'valid') logInfo(d, decided.shutdownHandover(cluster.state.sync?.id ?? 'nobody'));
  else logInfo(d, decided.shutdown());
  if (handover) armTimer(d, 'handover', d.state.config.handoverTimeoutMs);
}

function finishHandover(d: Draft, shutdown: Shutdown, syncConfirmed: boolean): void {
  patch(d, { shutdown: { ...shutdown, handoverDone: true, syncConfirmed } });
  cancelTimer(d, 'handover');
}

/** Writes off, then wait until the sync has flushed all WAL (or the handover budget is spent, or it became pointless). */
function handOver(d: Draft, shutdown: Shutdown): void {
  const status = d.state.pg.status;
  const cluster = d.state.coord.cluster;
  const state = cluster.kind === 'valid' ? cluster.state : null;
  const sync = state?.sync ?? null;
  const timedOut = d.nowMs - shutdown.requestedAtMs >= d.state.config.handoverTimeoutMs;
  if (status === null || !status.running || state === null || sync === null || timedOut) {
    finishHandover(d, shutdown, false);
    return;
  }
  const blocker = handoverBlocker(d, state);
  if (blocker !== null) {
    logInfo(d, decided.handoverAbandoned(blocker));
    finishHandover(d, shutdown, false);
    return;
  }
  if (!pgIdle(d)) return;
  if (status.writable) {
    reconfigurePg(d, { role: 'primary', syncStandby: status.syncStandby, writable: false });
    return;
  }
  const replication = d.state.pg.replication;
  const row = replication?.standbys.find((standby) => standby.id === sync.id);
  if (d.state.pg.replicationFresh && replication !== null && row !== undefined && lsnAtLeast(row.flushLsn, replication.currentLsn)) {
    finishHandover(d, shutdown, true);
    return;
  }
  requestReplication(d);
}

export function driveShutdown(d: Draft): void {
  if (!ensureFreshStatus(d)) return;
  const shutdown = d.state.shutdown;
  if (shutdown === null) return;
  if (!shutdown.handoverDone) {
    handOver(d, shutdown);
    if (d.state.shutdown?.handoverDone !== true) return;
  }
  if (!coordIdle(d)) return;
  const coord = d.state.coord;
  if (coord.registration.kind === 'registered' && coord.session === 'connected') {
    unregister(d);
    return;
  }
  if (!pgIdle(d) || !ensureFreshStatus(d)) return;
  if (d.state.pg.status?.running === true) {
    stopPg(d);
    return;
  }
  logInfo(d, decided.exit(!shutdown.handover || d.state.shutdown?.syncConfirmed === true));
  emit(d, { kind: 'exit', code: 0, reason: 'graceful shutdown requested' });
  patch(d, { exited: true });
}
