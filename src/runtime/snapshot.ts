// Builds the status API's snapshot from the state machine's state and the last PostgreSQL probe.
import { storageVerdict, upstreamOf, type SitterState } from '../fsm/index.js';
import { statusProblems } from '../http/status-problems.js';
import type { PeerRole, PgHealthSnapshot, RestoreSnapshot, StatusSnapshot, StorageHealthSnapshot } from '../http/status-snapshot.js';

export const NO_PROBE_YET: PgHealthSnapshot = {
  running: false, healthy: false, error: 'not checked yet', lastCheck: null, inRecovery: null, writable: false,
  currentLsn: null, receiveLsn: null, replayLsn: null, lagBytes: null, streaming: null, walReceiver: null, notStreamingSince: null,
};

function peerRole(state: SitterState): PeerRole {
  return state.role === 'none' ? 'unassigned' : state.role;
}

function pendingWork(state: SitterState): string[] {
  const work: string[] = [];
  if (state.pending.pg !== null) work.push(`PostgreSQL: ${state.pending.pg.op} (op ${state.pending.pg.opId})`);
  const coord = state.pending.coord;
  if (coord !== null) work.push(coord.op === 'write' ? `coordination: write state (${coord.purpose})` : `coordination: ${coord.op}`);
  if (state.shutdown !== null) work.push(state.shutdown.handover ? 'shutting down: handing over to the sync' : 'shutting down');
  return work;
}

function coordinationOf(state: SitterState): StatusSnapshot['coordination'] {
  return state.coord.session === 'new' ? 'connecting' : state.coord.session;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The same judgement that makes the sitter give up or leave the election, so the API never disagrees with it. */
function storageOf(state: SitterState, nowMs: number): StorageHealthSnapshot {
  const verdict = storageVerdict(state, nowMs);
  const { lastAnsweredAtMs, lastError } = state.storage;
  const notAnsweringSince = verdict.kind === 'stalled' ? iso(verdict.silentSinceMs) : null;
  return { answering: verdict.kind === 'answering', notAnsweringSince, lastAnswered: iso(lastAnsweredAtMs), error: lastError };
}

export function buildSnapshot(
  state: SitterState, pg: PgHealthSnapshot, restore: RestoreSnapshot | null, failovers: number, nowMs: number,
): StatusSnapshot {
  const cluster = state.coord.cluster;
  const role = peerRole(state);
  const upstream = cluster.kind === 'valid' ? upstreamOf(cluster.state, state.self.id)?.id ?? null : null;
  return {
    id: state.self.id,
    role,
    generation: cluster.kind === 'valid' ? cluster.state.generation : null,
    clusterState: cluster.kind === 'valid' ? cluster.state : null,
    clusterStateProblems: cluster.kind === 'invalid' ? cluster.problems : null,
    activePeers: state.coord.active.map((entry) => entry.peer),
    pendingWork: pendingWork(state),
    waitingReason: state.waitingReason,
    coordination: coordinationOf(state),
    pg,
    storage: storageOf(state, nowMs),
    restore,
    failovers,
    problems: statusProblems({ self: state.self.id, role, upstream, pg }),
  };
}
