// What the status API reads from a running sitter: one immutable snapshot per request.
import type { ClusterState, Peer, PeerId } from '../schema/index.js';
import type { DecisionRecord } from '../runtime/history.js';
import type { RestoreView } from '../runtime/restore-status.js';
import type { StatusProblem } from './status-problems.js';

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
  /** In recovery: whether the WAL receiver streams from the upstream right now; null when not in recovery or unknown. */
  readonly streaming: boolean | null;
  /** pg_stat_wal_receiver.status (streaming, waiting, ...); null when no WAL receiver runs. */
  readonly walReceiver: string | null;
  /** ISO time since when this standby has not been streaming (across probes); null while it streams. */
  readonly notStreamingSince: string | null;
}

/** The dataset's storage as the state machine judges it (rule 14): answering, or not since a moment. */
export interface StorageHealthSnapshot {
  readonly answering: boolean;
  /** ISO time of the last answer, or of the start while there was none; null while answering. */
  readonly notAnsweringSince: string | null;
  /** ISO time of the last answered check, null before the first. */
  readonly lastAnswered: string | null;
  /** The last check's error while checks fail. */
  readonly error: string | null;
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
  readonly storage: StorageHealthSnapshot;
  readonly restore: RestoreSnapshot | null;
  readonly failovers: number;
  /** What is wrong with this peer right now, each with a stable code; empty when nothing is. */
  readonly problems: readonly StatusProblem[];
}

export interface StatusSource {
  snapshot(): StatusSnapshot;
  history(limit: number): readonly DecisionRecord[];
}
