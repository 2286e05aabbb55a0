// The sitter's own state (SitterState) and the facts it holds about coordination and PostgreSQL.
import type { ClusterState, Lsn, Peer, PeerId } from '../schema/index.js';
import type { FsmConfig } from './config.js';

/** Correlates an action with the observation that reports its result. */
export type OpId = number;

/**
 * The role a sitter plays. `none`: no cluster state seen yet by this process; `unassigned`: a state
 * exists but does not name me; `deposed`: listed as deposed, or my data is a primary's the state no
 * longer names (it may have diverged).
 */
export type Role = 'none' | 'unassigned' | 'primary' | 'sync' | 'async' | 'deposed';

/** What the data directory is, known even while PostgreSQL is stopped (standby.signal present or not). */
export type DataRole = 'none' | 'primary' | 'standby';

/** One probe of the local PostgreSQL. */
export interface PgStatus {
  readonly running: boolean;
  readonly dataRole: DataRole;
  /** Running, not in recovery, and default_transaction_read_only off. */
  readonly writable: boolean;
  /** The peer named in synchronous_standby_names (its application_name is its peer id), or null. */
  readonly syncStandby: PeerId | null;
  /** The peer named in primary_conninfo, or null (a standby replaying only what it has). */
  readonly upstream: PeerId | null;
  /** A standby's WAL receiver is streaming from its upstream right now. */
  readonly streaming: boolean;
  /** Primary: pg_current_wal_lsn(). Standby: the last WAL position received and flushed. */
  readonly walLsn: Lsn;
  /** Standby: pg_last_wal_replay_lsn(). Primary: equal to walLsn. */
  readonly replayLsn: Lsn;
}

/** One row of pg_stat_replication (application_name = the standby's peer id). */
export interface StandbyProgress {
  readonly id: PeerId;
  readonly sentLsn: Lsn;
  readonly flushLsn: Lsn;
  readonly replayLsn: Lsn;
}

export interface ReplicationStatus {
  /** pg_current_wal_lsn() read in the same transaction as the rows. */
  readonly currentLsn: Lsn;
  readonly standbys: readonly StandbyProgress[];
}

/** One live election node: `<peerId>-<seq>`, payload already parsed into a Peer. */
export interface ActiveEntry {
  readonly peer: Peer;
  readonly seq: number;
}

/** The cluster state as delivered by the coordinator: raw JSON, validated by the state machine. */
export type ClusterStateData =
  | { readonly kind: 'absent' }
  | { readonly kind: 'present'; readonly version: number; readonly data: unknown };

export type ClusterKnowledge =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'valid'; readonly state: ClusterState; readonly version: number }
  | { readonly kind: 'invalid'; readonly problems: readonly string[]; readonly version: number };

export type SessionStatus = 'new' | 'connected' | 'disconnected' | 'expired';

export type Registration = { readonly kind: 'none' } | { readonly kind: 'registered'; readonly seq: number };

export interface CoordView {
  readonly session: SessionStatus;
  /** A snapshot was read since the session (re)connected and no write has conflicted since. */
  readonly fresh: boolean;
  readonly cluster: ClusterKnowledge;
  /** Live election nodes, one per peer id (highest sequence wins), in registration order. */
  readonly active: readonly ActiveEntry[];
  readonly registration: Registration;
  /** This process saw the state absent (tells a bootstrap apart from a restart). */
  readonly sawAbsent: boolean;
  /** The highest generation this process has seen: a state that vanishes afterwards is not re-bootstrapped. */
  readonly highestGeneration: number;
  readonly lastFailureAtMs: number | null;
}

/** The sync was seen caught up (flush ≥ the primary's current WAL) with synchronous_standby_names naming it. */
export interface CaughtUp {
  readonly generation: number;
  readonly syncId: PeerId;
  /** Which PostgreSQL start of this process it was seen in: writes go on only after a check since the last start. */
  readonly pgStarts: number;
}

export interface PgView {
  readonly status: PgStatus | null;
  /** Probed after the last PostgreSQL operation completed and since the last tick. */
  readonly statusFresh: boolean;
  readonly replication: ReplicationStatus | null;
  readonly replicationFresh: boolean;
  readonly pgStarts: number;
  /** This process has seen PostgreSQL running: only then is a stopped PostgreSQL a crash rather than a first start. */
  readonly seenRunning: boolean;
  readonly caughtUp: CaughtUp | null;
  readonly lastFailureAtMs: number | null;
  /** While primary: when PostgreSQL was first seen down (the restart budget runs from here). */
  readonly downSinceMs: number | null;
}

/** The desired PostgreSQL configuration handed to start/reconfigure. */
export interface PrimaryPgTarget {
  readonly role: 'primary';
  readonly syncStandby: PeerId | null;
  readonly writable: boolean;
}

/** Standbys are always configured read-only, so that a promotion never turns writes on by itself. */
export interface StandbyPgTarget {
  readonly role: 'standby';
  readonly upstream: Peer | null;
}

export type PgTarget = PrimaryPgTarget | StandbyPgTarget;

export type PgOpKind = 'start' | 'stop' | 'promote' | 'reconfigure' | 'fetchStatus' | 'fetchReplication' | 'rebuild';

/** Why a cluster state is written; role-changing purposes decide the transition tag on success. */
export type WritePurpose = 'bootstrap' | 'asyncList' | 'syncChange' | 'takeover' | 'switchover' | 'promoteAsync' | 'rejoin';

export type PendingCoord =
  | { readonly opId: OpId; readonly op: 'register' | 'unregister' }
  | {
      readonly opId: OpId;
      readonly op: 'read';
      /**
       * A watch event arrived while the read was in flight. The runner hands over read results and watch events
       * on different paths, so such an event may be newer than the read's answer, which must then not undo it.
       */
      readonly watchedState: boolean;
      readonly watchedActive: boolean;
    }
  | {
      readonly opId: OpId;
      readonly op: 'write';
      readonly purpose: WritePurpose;
      readonly state: ClusterState;
      /** The sentence logged once the write is known to have succeeded. */
      readonly sentence: string;
    };

export interface Pending {
  readonly pg: { readonly opId: OpId; readonly op: PgOpKind } | null;
  readonly coord: PendingCoord | null;
}

export type TimerName = 'tick' | 'poll' | 'pgRestartBudget' | 'giveUpRetry' | 'handover';

/** Armed timers by name, each with the token its firing must carry (older firings are ignored). */
export type Timers = Readonly<Partial<Record<TimerName, OpId>>>;

/** Why a primary gave up its registration: its PostgreSQL stayed down, or its storage stopped answering. */
export type GiveUpCause = 'pgDown' | 'storageStalled';

export interface GaveUp {
  readonly generation: number;
  readonly atMs: number;
  readonly cause: GiveUpCause;
}

/** One storage check (a small write, fsync and read in the dataset, under a deadline). */
export type StorageCheckResult = { readonly kind: 'answered' } | { readonly kind: 'notAnswering'; readonly error: string };

export interface StorageView {
  /** When this process started watching: the stall budget runs from here until the first answer. */
  readonly watchedSinceMs: number | null;
  readonly lastAnsweredAtMs: number | null;
  /** The error of the last check while it keeps failing; null after an answer. */
  readonly lastError: string | null;
  /** The check in flight and when it was issued (one at a time; a check older than the budget is replaced). */
  readonly pending: { readonly opId: OpId; readonly sinceMs: number } | null;
}

export interface Shutdown {
  readonly requestedAtMs: number;
  /** A primary hands over: writes off and waits for its sync to flush before leaving the election. */
  readonly handover: boolean;
  /** The handover wait is over (the sync confirmed, or the wait timed out). */
  readonly handoverDone: boolean;
  readonly syncConfirmed: boolean;
}

/** A role change caused by this sitter's own write, remembered until the role is applied. */
export interface RoleCause {
  readonly purpose: WritePurpose;
  readonly generation: number;
  readonly sentence: string;
}

/** A deposed peer's way back: asked for (or policy auto), data replaced with a copy of the primary, then off the deposed list. */
export interface RebuildView {
  /** An operator asked for a rebuild (needed with rebuildPolicy manual). */
  readonly requested: boolean;
  /** The copy in flight or done was taken from this primary; a different primary means it must be taken again. */
  readonly sourceId: PeerId | null;
  readonly done: boolean;
  /** The last rebuild failed then (it is retried after rebuildRetryMs). */
  readonly failedAtMs: number | null;
}

export interface SitterState {
  readonly self: Peer;
  readonly config: FsmConfig;
  readonly started: boolean;
  readonly exited: boolean;
  readonly nextOpId: OpId;
  readonly coord: CoordView;
  readonly pg: PgView;
  readonly storage: StorageView;
  readonly pending: Pending;
  readonly timers: Timers;
  readonly role: Role;
  /** The cluster state the current role was taken from (to explain the next change). */
  readonly roleBasis: ClusterState | null;
  readonly roleCause: RoleCause | null;
  readonly deposed: boolean;
  readonly rebuild: RebuildView;
  /**
   * A generation I tried to write whose outcome is unknown (error or session loss). Until a read settles it,
   * a primary keeps writes off: the new generation may already be in force with its initWal.
   */
  readonly writeInDoubt: number | null;
  readonly gaveUp: GaveUp | null;
  readonly shutdown: Shutdown | null;
  /** Why the sitter is not making progress, as a plain sentence for the status API; null when it is not waiting. */
  readonly waitingReason: string | null;
  /** Stable key of the waiting reason, so a reason is logged once, not on every probe. */
  readonly waitingCode: string | null;
}
