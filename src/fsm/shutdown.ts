// Graceful shutdown: a primary hands over (writes off, sync flushed, leave the election, stop); others just leave and stop.
import { lsnAtLeast } from '../schema/index.js';
import { coordIdle, unregister } from './coord-ops.js';
import { emit, logInfo, patch, type Draft } from './draft.js';
import { ensureFreshStatus, pgIdle, reconfigurePg, stopPg } from './pg-ops.js';
import { requestReplication } from './primary-pg.js';
import { decided } from './sentences.js';
import { armTimer } from './timers.js';
import type { Shutdown } from './types.js';

export function requestShutdown(d: Draft): void {
  if (d.state.shutdown !== null) return;
  const cluster = d.state.coord.cluster;
  const sync = cluster.kind === 'valid' && cluster.state.oneNodeWriteMode !== true ? cluster.state.sync : null;
  const handover = d.state.role === 'primary' && sync !== null && d.state.pg.status?.running === true;
  patch(d, { shutdown: { requestedAtMs: d.nowMs, handover, handoverDone: !handover, syncConfirmed: false } });
  logInfo(d, handover && sync !== null ? decided.shutdownHandover(sync.id) : decided.shutdown());
  if (handover) armTimer(d, 'handover', d.state.config.handoverTimeoutMs);
}

function finishHandover(d: Draft, shutdown: Shutdown, syncConfirmed: boolean): void {
  patch(d, { shutdown: { ...shutdown, handoverDone: true, syncConfirmed } });
}

/** Writes off, then wait until the sync has flushed all WAL (or the handover budget is spent). */
function handOver(d: Draft, shutdown: Shutdown): void {
  const status = d.state.pg.status;
  const cluster = d.state.coord.cluster;
  const sync = cluster.kind === 'valid' ? cluster.state.sync : null;
  const timedOut = d.nowMs - shutdown.requestedAtMs >= d.state.config.handoverTimeoutMs;
  if (status === null || !status.running || sync === null || timedOut) {
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
