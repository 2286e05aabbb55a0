// Builds the status API's snapshot from the state machine's state and the last PostgreSQL probe.
import type { SitterState } from '../fsm/index.js';
import type { PeerRole, PgHealthSnapshot, RestoreSnapshot, StatusSnapshot } from '../http/status-snapshot.js';

export const NO_PROBE_YET: PgHealthSnapshot = {
  running: false, healthy: false, error: 'not checked yet', lastCheck: null, inRecovery: null, writable: false,
  currentLsn: null, receiveLsn: null, replayLsn: null, lagBytes: null,
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

export function buildSnapshot(state: SitterState, pg: PgHealthSnapshot, restore: RestoreSnapshot | null, failovers: number): StatusSnapshot {
  const cluster = state.coord.cluster;
  return {
    id: state.self.id,
    role: peerRole(state),
    generation: cluster.kind === 'valid' ? cluster.state.generation : null,
    clusterState: cluster.kind === 'valid' ? cluster.state : null,
    clusterStateProblems: cluster.kind === 'invalid' ? cluster.problems : null,
    activePeers: state.coord.active.map((entry) => entry.peer),
    pendingWork: pendingWork(state),
    waitingReason: state.waitingReason,
    coordination: coordinationOf(state),
    pg,
    restore,
    failovers,
  };
}
