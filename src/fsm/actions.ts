// Everything the state machine asks the runner to do; each fallible action carries an opId and comes back as an observation.
import type { ClusterState, Peer } from '../schema/index.js';
import type { TransitionId } from './transitions.js';
import type { OpId, PgTarget, SitterState, TimerName } from './types.js';

export type Action =
  /** Create `<shard>/election/<selfId>-` EPHEMERAL_SEQUENTIAL with our payload → registerOk | coordOpFailed. */
  | { readonly kind: 'register'; readonly opId: OpId }
  /** Delete our own election node (give up registration) → unregisterOk | coordOpFailed. */
  | { readonly kind: 'unregister'; readonly opId: OpId }
  /** Read the state node and the election children, setting watches → coordSnapshot | coordOpFailed. */
  | { readonly kind: 'readCoordination'; readonly opId: OpId }
  /**
   * Write the cluster state (plus its history node, in one multi-op): create-if-absent, or compare-and-set
   * on `expectedVersion` → stateWriteOk | stateWriteConflict | stateWriteError.
   */
  | {
      readonly kind: 'writeClusterState';
      readonly opId: OpId;
      readonly mode: 'create' | 'cas';
      /** The znode version the write is conditional on; null for create. */
      readonly expectedVersion: number | null;
      readonly state: ClusterState;
    }
  /**
   * Write the configuration for `target` and start PostgreSQL → pgOpOk | pgOpFailed. Never changes what the
   * data directory is: a standby data directory starts as a standby (promotePg makes it a primary), an empty
   * one is initialised as a primary (initdb) or cloned from target.upstream as a standby.
   */
  | { readonly kind: 'startPg'; readonly opId: OpId; readonly target: PgTarget }
  /**
   * PostgreSQL is stopped and my data may have diverged: keep it aside (never destroyed), replace it with a copy of
   * `source` (incremental from a shared snapshot where possible) and leave it as a standby → pgOpOk | pgOpFailed.
   */
  | { readonly kind: 'rebuildData'; readonly opId: OpId; readonly source: Peer }
  /**
   * Stop PostgreSQL → pgOpOk | pgOpFailed. `fast` checkpoints first; `immediate` does not, for storage that stopped
   * answering (a checkpoint would block on it). Both keep every flushed commit.
   */
  | { readonly kind: 'stopPg'; readonly opId: OpId; readonly mode: 'fast' | 'immediate' }
  /** pg_promote() on a standby; the primary keeps its configured read-only setting → pgOpOk | pgOpFailed. */
  | { readonly kind: 'promotePg'; readonly opId: OpId }
  /**
   * Apply `target` to a running PostgreSQL by reload (synchronous_standby_names, default_transaction_read_only,
   * primary_conninfo) → pgOpOk | pgOpFailed. Turning writes off must also end open write transactions, so that
   * no commit can be written after this action reports success.
   */
  | { readonly kind: 'reconfigurePg'; readonly opId: OpId; readonly target: PgTarget }
  /** Check that the dataset's storage answers (write, fsync, read under a deadline) → storageChecked. */
  | { readonly kind: 'checkStorage'; readonly opId: OpId }
  /** Probe PostgreSQL → pgStatus (running false when it does not answer). */
  | { readonly kind: 'fetchPgStatus'; readonly opId: OpId }
  /** pg_current_wal_lsn() and pg_stat_replication on a primary → replicationStatus | pgOpFailed. */
  | { readonly kind: 'fetchReplicationStatus'; readonly opId: OpId }
  /** Fire timerFired{timer, token} after delayMs, replacing any timer of that name. */
  | { readonly kind: 'setTimer'; readonly timer: TimerName; readonly token: OpId; readonly delayMs: number }
  | { readonly kind: 'cancelTimer'; readonly timer: TimerName; readonly token: OpId }
  /** Leave the process: close the coordination session and exit with `code`. */
  | { readonly kind: 'exit'; readonly code: number; readonly reason: string }
  /** One plain English sentence; role changes carry the transitions-table row they applied. */
  | {
      readonly kind: 'log';
      readonly level: 'info' | 'warn';
      readonly sentence: string;
      readonly transition: TransitionId | null;
    };

export type ActionKind = Action['kind'];

export interface Decision {
  readonly state: SitterState;
  readonly actions: readonly Action[];
}
