// The primary: keeps PostgreSQL converged, executes promote requests and sync replacement, maintains the async list.
import { lsnAtLeast, type ClusterState } from '../schema/index.js';
import { coordIdle, coordReady, writeState, type StateWrite } from './coord-ops.js';
import type { Draft } from './draft.js';
import { asyncListState, promoteAsyncState, switchoverState, syncChangeState } from './next-state.js';
import { giveUpOnStalledStorage, reconsiderGiveUp } from './pg-crash.js';
import { pgIdle } from './pg-ops.js';
import { drivePrimaryPg, requestReplication } from './primary-pg.js';
import { primaryPlan, type PrimaryPlan } from './primary-plan.js';
import { decided } from './sentences.js';

/** The write a plan leads to, once writes are off and the needed WAL positions are known; null while not yet. */
function planWrite(d: Draft, state: ClusterState, plan: PrimaryPlan): StateWrite | null {
  const status = d.state.pg.status;
  const active = d.state.coord.active;
  if (status === null || !d.state.pg.statusFresh || !status.running || status.writable || status.dataRole !== 'primary') {
    return null;
  }
  switch (plan.kind) {
    case 'syncChange': {
      const next = syncChangeState(state, active, status.walLsn);
      return next && { purpose: 'syncChange', state: next, sentence: decided.syncChange(next, plan.lost.id) };
    }
    case 'promoteAsync': {
      const next = promoteAsyncState(state, active, plan.index, status.walLsn);
      return next && { purpose: 'promoteAsync', state: next, sentence: decided.promoteAsync(next, state.sync?.id ?? '') };
    }
    case 'switchover':
      return switchoverWrite(d, state, plan.target.id);
  }
}

/** Switchover waits until the sync has flushed everything the primary wrote (writes are already off). */
function switchoverWrite(d: Draft, state: ClusterState, targetId: string): StateWrite | null {
  const replication = d.state.pg.replication;
  const row = replication?.standbys.find((standby) => standby.id === targetId);
  if (!d.state.pg.replicationFresh || replication === null || row === undefined || !lsnAtLeast(row.flushLsn, replication.currentLsn)) {
    requestReplication(d);
    return null;
  }
  const next = switchoverState(state, d.state.coord.active, replication.currentLsn);
  return next && { purpose: 'switchover', state: next, sentence: decided.switchover(next, row.flushLsn) };
}

function executePlan(d: Draft, state: ClusterState, version: number, plan: PrimaryPlan): void {
  if (!coordIdle(d) || !pgIdle(d)) return;
  const write = planWrite(d, state, plan);
  if (write !== null) writeState(d, write, version);
}

/** Same generation: drop absent asyncs, append newcomers (allowed while frozen: no generation change). */
function maintainAsyncs(d: Draft, state: ClusterState, version: number): void {
  if (!coordReady(d) || !coordIdle(d) || d.state.gaveUp !== null || state.oneNodeWriteMode === true) return;
  const next = asyncListState(state, d.state.coord.active);
  if (next === null) return;
  const before = new Set(state.async.map((peer) => peer.id));
  const after = new Set(next.async.map((peer) => peer.id));
  const added = next.async.filter((peer) => !before.has(peer.id));
  const removed = state.async.filter((peer) => !after.has(peer.id));
  writeState(d, { purpose: 'asyncList', state: next, sentence: decided.asyncList(next, added, removed) }, version);
}

export function actAsPrimary(d: Draft, state: ClusterState, version: number): void {
  reconsiderGiveUp(d, state);
  giveUpOnStalledStorage(d, state);
  const { plan } = primaryPlan(d, state);
  if (d.state.pg.statusFresh) drivePrimaryPg(d, state, plan);
  if (plan !== null) executePlan(d, state, version, plan);
  else maintainAsyncs(d, state, version);
}
