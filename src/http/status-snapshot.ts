// What the status API reads from a running sitter: one immutable snapshot per request.
import type { ClusterState, Peer, PeerId } from '../schema/index.js';
import type { DecisionRecord } from '../runtime/history.js';
import type { RestoreView } from '../runtime/restore-status.js';

export type PeerRole = 'primary' | 'sync' | 'async' | 'deposed' | 'unassigned';

export interface PgHealthSnapshot {
  readonly running: boolean;
  readonly healthy: boolean;
  readonly error: string | null;
  /** ISO time of the last completed health check, null before the first. */
  readonly lastCheck: string | null;
  readonly inRecovery: boolean | null;
  readonly writable: boolean;
  readonly currentLsn: string | null;
  readonly receiveLsn: string | null;
  readonly replayLsn: string | null;
  /** Bytes the local replay is behind what the upstream last reported; null on a primary or when unknown. */
  readonly lagBytes: number | null;
}

/** Progress of the last bootstrap or rebuild of this peer's data (`GET /restore`). */
export type RestoreSnapshot = RestoreView;

export interface StatusSnapshot {
  readonly id: PeerId;
  readonly role: PeerRole;
  readonly generation: number | null;
  readonly clusterState: ClusterState | null;
  /** Problems of the cluster state as read, when it failed validation. */
  readonly clusterStateProblems: readonly string[] | null;
  readonly activePeers: readonly Peer[];
  readonly pendingWork: readonly string[];
  readonly waitingReason: string | null;
  readonly coordination: 'connected' | 'disconnected' | 'expired' | 'connecting';
  readonly pg: PgHealthSnapshot;
  readonly restore: RestoreSnapshot | null;
  readonly failovers: number;
}

export interface StatusSource {
  snapshot(): StatusSnapshot;
  history(limit: number): readonly DecisionRecord[];
}
