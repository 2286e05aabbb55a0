// Converging a primary's PostgreSQL: promote, name the sync, and turn writes on only once that sync has caught up.
import { lsnAtLeast, type ClusterState } from '../schema/index.js';
import { logInfo, patchPg, type Draft } from './draft.js';
import { onPrimaryPgDown, onPrimaryPgUp, primaryTarget } from './pg-crash.js';
import { fetchReplication, pgIdle, promotePg, reconfigurePg, stopPg } from './pg-ops.js';
import type { PrimaryPlan } from './primary-plan.js';
import { generationChangeInFlight, writesVerdict } from './rules/write-gate.js';
import { decided } from './sentences.js';
import { ensureTimer } from './timers.js';
import type { PgStatus } from './types.js';

/** Replication progress is needed: fetch it, or wait for the poll timer when the last answer is still current. */
export function requestReplication(d: Draft): void {
  if (!d.state.pg.replicationFresh) {
    if (pgIdle(d)) fetchReplication(d);
    return;
  }
  ensureTimer(d, 'poll', d.state.config.catchUpPollMs);
}

/** Records that the named sync has flushed everything the primary has written (sent = flushed). */
function noteCaughtUp(d: Draft, state: ClusterState, status: PgStatus): void {
  const replication = d.state.pg.replication;
  const sync = state.sync;
  if (!d.state.pg.replicationFresh || replication === null || sync === null || status.syncStandby !== sync.id) return;
  const row = replication.standbys.find((standby) => standby.id === sync.id);
  if (row === undefined || !lsnAtLeast(row.flushLsn, replication.currentLsn)) return;
  patchPg(d, { caughtUp: { generation: state.generation, syncId: sync.id, pgStarts: d.state.pg.pgStarts } });
}

/**
 * A restarted sitter finds PostgreSQL already writable with the current sync named: the previous process
 * opened the gate after the same check, so writes stay on instead of blinking off.
 */
function adoptRunningWrites(d: Draft, state: ClusterState, status: PgStatus): void {
  const sync = state.sync;
  if (d.state.pg.pgStarts !== 0 || d.state.pg.caughtUp !== null || sync === null) return;
  if (!status.writable || status.syncStandby !== sync.id || state.oneNodeWriteMode === true) return;
  patchPg(d, { caughtUp: { generation: state.generation, syncId: sync.id, pgStarts: 0 } });
}

/** Order matters: name the sync first (writes off), wait for it to catch up, only then writes on. */
function convergeWrites(d: Draft, state: ClusterState, status: PgStatus, plan: PrimaryPlan | null): void {
  const target = primaryTarget(state, false);
  const broken = d.faults.writesBeforeSyncCaughtUp === true;
  const writable = broken ? plan === null && d.state.shutdown === null && !generationChangeInFlight(d) : writesVerdict(d, state, plan).kind === 'on';
  if (broken && writable && !status.writable) {
    reconfigurePg(d, { role: 'primary', syncStandby: status.syncStandby, writable: true });
    return;
  }
  if (status.syncStandby !== target.syncStandby) {
    const keep = broken ? status.writable : writable && state.oneNodeWriteMode === true;
    reconfigurePg(d, { ...target, writable: keep });
    return;
  }
  if (status.writable !== writable) {
    reconfigurePg(d, { ...target, writable });
    if (writable) logWritesOn(d, state, status);
    return;
  }
  if (!writable && plan === null && target.syncStandby !== null) requestReplication(d);
}

function logWritesOn(d: Draft, state: ClusterState, status: PgStatus): void {
  const sync = state.sync;
  if (state.oneNodeWriteMode === true || sync === null) logInfo(d, decided.writesOnSingleton(state.generation));
  else logInfo(d, decided.writesOn(state.generation, sync.id, d.state.pg.replication?.currentLsn ?? status.walLsn));
}

export function drivePrimaryPg(d: Draft, state: ClusterState, plan: PrimaryPlan | null): void {
  const status = d.state.pg.status;
  if (status === null) return;
  if (d.state.gaveUp !== null) {
    if (status.running && pgIdle(d)) stopPg(d);
    return;
  }
  if (!status.running) {
    onPrimaryPgDown(d, state);
    return;
  }
  onPrimaryPgUp(d);
  if (!pgIdle(d)) return;
  if (status.dataRole !== 'primary') {
    promotePg(d);
    return;
  }
  adoptRunningWrites(d, state, status);
  noteCaughtUp(d, state, status);
  convergeWrites(d, state, status, plan);
}
