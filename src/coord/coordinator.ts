// The Coordinator interface: the sitter's only view of the coordination service (ZooKeeper now, etcd later), with its contract.
import type { ClusterState, ElectionPayload, Peer, PeerId } from '../schema/index.js';

/**
 * One live registration in `<shardPath>/election`, after de-duplication by peer id.
 * `seq` is the sequence number ZooKeeper appended to the node name; lower = registered earlier.
 */
export interface ActiveEntry {
  readonly peer: Peer;
  readonly seq: number;
  /** The node name inside the election directory, e.g. `10.0.0.1:5432:12345-0000000007`. */
  readonly nodeName: string;
}

/** An election node that was skipped: its name does not parse, or its payload is not valid JSON / fails the schema. */
export interface RejectedElectionNode {
  readonly nodeName: string;
  readonly problems: readonly string[];
}

/** The registered peers in registration order, plus what was skipped (never silently). */
export interface ActiveList {
  readonly entries: readonly ActiveEntry[];
  readonly rejected: readonly RejectedElectionNode[];
}

/** The cluster state node as read: missing, valid, or present but unusable (the sitter must not act on it). */
export type StateRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'valid'; readonly state: ClusterState; readonly version: number }
  | { readonly kind: 'invalid'; readonly problems: readonly string[]; readonly version: number; readonly raw: string };

/** What a successful state write produced. */
export interface StateWriteResult {
  /** The state node's new version: pass it as `expectedVersion` to the next `writeState`. */
  readonly version: number;
  /** The history node created in the same transaction, e.g. `7-0000000012`. */
  readonly historyNode: string;
}

export interface WriteStateOptions {
  /** Generation prefix of the history node; defaults to `state.generation`. Operator writes pass 0. */
  readonly historyGeneration?: number;
}

/** One copy of a written state, from `<shardPath>/history/<generation>-<seq>`. */
export interface HistoryEntry {
  readonly nodeName: string;
  /** Generation prefix of the node name (0 for operator writes). */
  readonly generation: number;
  readonly seq: number;
  /** The stored state; `absent` never occurs here. */
  readonly record: Exclude<StateRead, { readonly kind: 'absent' }>;
}

/** Our own election node. */
export interface Registration {
  readonly id: PeerId;
  readonly nodeName: string;
  readonly seq: number;
  readonly sessionId: string;
}

/**
 * Session changes. `sessionId` is the 16-hex-digit ZooKeeper session id.
 * - `connected`: a session is usable; after a reconnect of the SAME session the id is unchanged and every
 *   ephemeral node is intact; after `expired` it is a NEW id (and the registration was re-created first).
 * - `disconnected`: the connection dropped; the session (and our election node) may still be alive on the server.
 * - `expired`: the server dropped the session; our election node is gone. A new session is being built.
 */
export type SessionEvent =
  | { readonly kind: 'connected'; readonly sessionId: string; readonly sessionTimeoutMs: number }
  | { readonly kind: 'disconnected'; readonly sessionId: string }
  | { readonly kind: 'expired'; readonly sessionId: string };

export interface CoordinatorEvents {
  /** The election list changed (or was re-read after a reconnect). */
  readonly active: ActiveList;
  /** The state node changed (or was re-read after a reconnect). */
  readonly state: StateRead;
  readonly session: SessionEvent;
}

export type CoordinatorEventName = keyof CoordinatorEvents;
export type CoordinatorListener<E extends CoordinatorEventName> = (payload: CoordinatorEvents[E]) => void;
export type Unsubscribe = () => void;

/**
 * CONTRACT (every backend must keep it; the ZooKeeper backend is tested against a real ZooKeeper 3.8).
 *
 * Errors: calls reject only with `DugongError`. Coordination failures carry `details.kind` (`CoordErrorKind`
 * in coord-errors.ts): `timeout` (DUGONG_ERR_COORD_TIMEOUT), `conflict` (_COORD_CONFLICT), `exists`
 * (_COORD_EXISTS), `no-node` (_COORD_NO_NODE), `session-expired` (_COORD_SESSION_EXPIRED), `no-auth`
 * (_COORD_NO_AUTH: the service refused a write or create to this client's identity), `connection-loss`,
 * `closed`, `failed` (all _COORD_FAILED). An invalid state or payload passed IN is DUGONG_ERR_STATE_INVALID
 * (nothing is written). Bad data found in the service never throws: it comes back as `invalid` / `rejected`.
 * `isTransientCoordError()` says whether re-reading and retrying later can help. Calls before `start()`
 * reject `failed`, calls after `close()` reject `closed`.
 *
 * Timeouts: EVERY call is bounded by the call timeout (one deadline for the whole call) and rejects with
 * `timeout` instead of hanging. While disconnected a call waits for the connection within that deadline and is
 * only sent once connected, so a call that timed out before being sent is never executed later. A `timeout`
 * or `connection-loss` on a write means "outcome unknown": re-read before deciding again (compare-and-set
 * keeps a late write harmless).
 *
 * Connection: a server that stops answering (frozen, partitioned without a reset) is noticed within about
 * 2/3 of the session timeout and the backend moves to another server, keeping the session if it can; a
 * connection whose handshake is not answered is dropped and retried. A server outage alone does not expire
 * the session (ZooKeeper restarts its expiry clocks), so `disconnected` does NOT mean our node is gone.
 *
 * Session expiry: the backend drops the dead session, opens a new one, re-creates the registration (new node,
 * new seq), re-arms its watches, and emits `session: expired`, then `session: connected`, then `active` and
 * `state` (`expired` as soon as it is detected; the rest once the new session is up). Calls in flight at that
 * moment reject with `session-expired` or `connection-loss`; calls waiting for the connection use the new one.
 *
 * Registration converges: `register()`/`unregister()` record the wish first; if the call fails (e.g. while
 * disconnected), the backend re-applies the wish on the next (re)connection.
 *
 * Events: `session` on every change; `active` and `state` after every (re)connection with freshly read values,
 * and once per observed change otherwise (several changes between two reads may coalesce into one event with
 * the newest value). Listener exceptions are logged and swallowed. No events after `close()`.
 */
export interface Coordinator {
  readonly shardPath: string;

  /**
   * Connects (within the connect timeout, else rejects `timeout` and leaves nothing running), creates the
   * election directory if needed, arms the watches, and resolves after the first `session: connected`,
   * `active` and `state` events were emitted (if one of those first reads failed, it is retried and its
   * event follows later). Subscribe with `on()` before calling it. Rejects `failed` if called twice.
   */
  start(): Promise<void>;

  /**
   * Closes the session gracefully, so the server deletes our election node at once (no session-timeout wait).
   * Pending calls reject with `closed`; later calls reject with `closed`. Never rejects; idempotent.
   */
  close(): Promise<void>;

  /**
   * Creates `<shardPath>/election/<id>-<seq>` (EPHEMERAL_SEQUENTIAL, JSON payload) and remembers it, so it is
   * re-created after a session expiry until `unregister()`. Idempotent: called again with the same id and
   * payload in the same session it returns the existing node; with a different id or payload it creates a new
   * node (new seq) and removes the old one. Our own session's stray nodes (left by a lost reply) are removed,
   * so at most one node of ours exists afterwards. Rejects `STATE_INVALID` for a bad id or payload.
   */
  register(id: PeerId, payload: ElectionPayload): Promise<Registration>;

  /**
   * Deletes our election node(s) (the known one first, so the deletion is seen at once) and forgets the
   * registration; the session stays open. Idempotent.
   */
  unregister(): Promise<void>;

  /**
   * Reads the election list now. Node names are split at their LAST '-'; per peer id only the highest seq
   * counts (a restarted sitter registers again before its old session expires); entries are ordered by seq.
   * Nodes with unparsable names or invalid payloads are skipped and listed in `rejected`.
   */
  activePeers(): Promise<ActiveList>;

  /** Reads the state node now: `absent`, `valid` (with its znode version) or `invalid` (with the problems). */
  readState(): Promise<StateRead>;

  /**
   * Create-if-absent: creates the state node (version 0) and its history node in ONE transaction.
   * Rejects `exists` if a state node is present (valid or not); nothing is written then.
   */
  createState(state: ClusterState): Promise<StateWriteResult>;

  /**
   * Compare-and-set: writes the state only if the node's version is still `expectedVersion`, and creates the
   * PERSISTENT_SEQUENTIAL history node `<shardPath>/history/<generation>-` in the SAME transaction: either
   * both happen or neither. A lost race rejects `conflict` (nothing written); a missing state node `no-node`.
   */
  writeState(state: ClusterState, expectedVersion: number, options?: WriteStateOptions): Promise<StateWriteResult>;

  /** Every history entry, ordered by sequence (= write order); unreadable entries come back as `invalid`. */
  readHistory(): Promise<readonly HistoryEntry[]>;

  /** Our current registration, if the node is known to exist in the current session. */
  registration(): Registration | undefined;

  on<E extends CoordinatorEventName>(event: E, listener: CoordinatorListener<E>): Unsubscribe;
}
