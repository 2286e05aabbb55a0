// Everything the runner can tell the state machine: coordination events, PostgreSQL facts, action results, timers, operator requests.
import type {
  ActiveEntry,
  ClusterStateData,
  OpId,
  PgStatus,
  ReplicationStatus,
  StorageCheckResult,
  TimerName,
} from './types.js';

export type Observation =
  /** The process started; arms the probe timer and the first PostgreSQL probe. */
  | { readonly kind: 'start' }
  /** A coordination session is established (new, or the same one after a disconnection). */
  | { readonly kind: 'sessionConnected' }
  /** The connection dropped; the session (and our election node) may still be alive. */
  | { readonly kind: 'sessionDisconnected' }
  /** The session expired: our election node is gone. Always reported before a new session connects. */
  | { readonly kind: 'sessionExpired' }
  /** Coordination init: the result of readCoordination, a consistent read of the state and the election nodes. */
  | {
      readonly kind: 'coordSnapshot';
      readonly opId: OpId;
      readonly cluster: ClusterStateData;
      readonly active: readonly ActiveEntry[];
    }
  /** Watch: the cluster state node changed. */
  | { readonly kind: 'clusterStateChanged'; readonly cluster: ClusterStateData }
  /** Watch: the election children changed (all live entries, any order; the machine deduplicates and sorts). */
  | { readonly kind: 'activeListChanged'; readonly active: readonly ActiveEntry[] }
  | { readonly kind: 'registerOk'; readonly opId: OpId; readonly seq: number }
  | { readonly kind: 'unregisterOk'; readonly opId: OpId }
  /** register, unregister or readCoordination failed (the outcome of a register/unregister is unknown). */
  | { readonly kind: 'coordOpFailed'; readonly opId: OpId; readonly error: string }
  | { readonly kind: 'stateWriteOk'; readonly opId: OpId; readonly version: number }
  /** CAS found another version, or create-if-absent found a state: someone else wrote first. */
  | { readonly kind: 'stateWriteConflict'; readonly opId: OpId }
  /** The write failed or timed out: it may or may not have been applied. */
  | { readonly kind: 'stateWriteError'; readonly opId: OpId; readonly error: string }
  /** Result of fetchPgStatus (opId) or a status the runner pushes on its own, e.g. the postmaster exited (opId null). */
  | { readonly kind: 'pgStatus'; readonly opId: OpId | null; readonly status: PgStatus }
  | { readonly kind: 'replicationStatus'; readonly opId: OpId; readonly status: ReplicationStatus }
  | { readonly kind: 'pgOpOk'; readonly opId: OpId }
  | { readonly kind: 'pgOpFailed'; readonly opId: OpId; readonly error: string }
  /** Result of checkStorage: a check that missed its deadline answers notAnswering. */
  | { readonly kind: 'storageChecked'; readonly opId: OpId; readonly result: StorageCheckResult }
  | { readonly kind: 'timerFired'; readonly timer: TimerName; readonly token: OpId }
  /** Operator asked to rebuild this deposed peer (`dugong-adm rebuild`); needed when rebuildPolicy is manual. */
  | { readonly kind: 'rebuildRequested' }
  /** Operator asked for a graceful shutdown (SIGTERM or the admin API). */
  | { readonly kind: 'shutdownRequested' };

export type ObservationKind = Observation['kind'];
