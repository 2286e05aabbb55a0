// Simulated coordination service: sessions that expire without contact, ephemeral sequential election nodes,
// a CAS-protected state node, FIFO watch delivery per session, and full outages during which nothing expires.
import type { ActiveEntry, ClusterStateData, Observation } from '../../src/fsm/index.js';
import type { Report } from '../../src/runtime/runner.js';
import type { ClusterState, Peer, PeerId } from '../../src/schema/index.js';
import type { SimSitter } from './sitter.js';
import type { World } from './world.js';

interface Session {
  readonly id: number;
  readonly peerIndex: number;
  readonly sitter: SimSitter;
  alive: boolean;
  connected: boolean;
  /** Bumped on every connection change; messages of an older connection are dropped. */
  epoch: number;
  contactLostAtMs: number | null;
  channelAtMs: number;
  /** Messages put on the channel so far, and the position of the last delivered one (to count reordered reads). */
  sent: number;
  deliveredPosition: number;
}

interface ElectionNode {
  readonly peer: Peer;
  readonly seq: number;
  readonly sessionId: number;
}

export type Writer = number | 'operator';

export interface StoredState {
  readonly state: ClusterState;
  readonly version: number;
}

export type WriteOutcome = { readonly ok: true; readonly version: number } | { readonly ok: false };

export class SimCoordinator {
  private readonly sessions = new Map<number, Session>();
  private nextSessionId = 1;
  private seq = 0;
  private nodes: ElectionNode[] = [];
  stored: StoredState | null = null;
  /** Operator-written data that is not a valid state (replaces what the sitters read until the next write). */
  private raw: { readonly data: unknown; readonly version: number } | null = null;
  /** Peer ids whose election node went missing at some point since the last state write. */
  readonly absentSinceWrite = new Set<PeerId>();
  /** Read answers that reached their sitter after a watch event the service sent later (see requestRead). */
  overtakenReads = 0;

  constructor(private readonly world: World) {}

  reachable(peerIndex: number): boolean {
    const peer = this.world.peers[peerIndex];
    return peer !== undefined && peer.alive && this.world.net.coordLink[peerIndex] === true && !this.world.net.outage;
  }

  activeEntries(): ActiveEntry[] {
    return this.nodes.map((node) => ({ peer: node.peer, seq: node.seq }));
  }

  isPresent(id: PeerId): boolean {
    return this.nodes.some((node) => node.peer.id === id);
  }

  clusterData(): ClusterStateData {
    if (this.raw !== null) return { kind: 'present', version: this.raw.version, data: this.raw.data };
    return this.stored === null ? { kind: 'absent' } : { kind: 'present', version: this.stored.version, data: this.stored.state };
  }

  /** An operator writes something that is not a valid cluster state; sitters must take no action on it. */
  overwriteRaw(data: unknown): void {
    const version = (this.stored?.version ?? -1) + 1;
    this.raw = { data, version };
    if (this.stored !== null) this.stored = { state: this.stored.state, version };
    this.notifyState();
  }

  private sessionOf(sitter: SimSitter): Session | undefined {
    return sitter.sessionId === null ? undefined : this.sessions.get(sitter.sessionId);
  }

  /** Re-evaluates a sitter's connection after any change of reachability (links, outage, restarts). */
  refresh(peerIndex: number): void {
    const sitter = this.world.peers[peerIndex]?.sitter;
    if (sitter === undefined || sitter === null || !sitter.alive) return;
    const session = this.sessionOf(sitter);
    if (!this.reachable(peerIndex)) {
      if (session === undefined || !session.connected) return;
      session.connected = false;
      session.epoch += 1;
      this.loseContact(session);
      // The client notices a little later, unless the connection is back by then.
      const epoch = session.epoch;
      this.world.queue.after(this.world.rng.between(this.world.timing.disconnectNoticeMs), () => {
        if (session.epoch === epoch) sitter.deliver({ kind: 'sessionDisconnected' });
      });
      return;
    }
    if (session === undefined) this.open(sitter, peerIndex);
    else if (!session.alive) {
      this.world.deliverAfter(sitter, { kind: 'sessionExpired' }, 1);
      this.open(sitter, peerIndex);
    } else if (!session.connected) {
      session.connected = true;
      session.epoch += 1;
      session.contactLostAtMs = null;
      this.send(session, { kind: 'sessionConnected' });
    }
  }

  private open(sitter: SimSitter, peerIndex: number): void {
    const session: Session = {
      id: this.nextSessionId++,
      peerIndex,
      sitter,
      alive: true,
      connected: true,
      epoch: 0,
      contactLostAtMs: null,
      channelAtMs: 0,
      sent: 0,
      deliveredPosition: 0,
    };
    this.sessions.set(session.id, session);
    sitter.sessionId = session.id;
    this.send(session, { kind: 'sessionConnected' });
  }

  /** The sitter process died: its session keeps its nodes until it expires (a restarted sitter sees them linger). */
  abandon(sitter: SimSitter): void {
    const session = this.sessionOf(sitter);
    if (session === undefined || !session.alive) return;
    session.connected = false;
    session.epoch += 1;
    this.loseContact(session);
  }

  /** Clean close on exit: the ephemeral nodes go at once. */
  close(sitter: SimSitter): void {
    const session = this.sessionOf(sitter);
    if (session === undefined || !session.alive) return;
    session.connected = false;
    this.expire(session);
  }

  /** Operator/fault: the service expires the session now (as after a long pause of the client). */
  forceExpire(peerIndex: number): void {
    const sitter = this.world.peers[peerIndex]?.sitter;
    const session = sitter === undefined || sitter === null ? undefined : this.sessionOf(sitter);
    if (session === undefined || !session.alive || this.world.net.outage) return;
    const wasConnected = session.connected;
    session.connected = false;
    session.epoch += 1;
    this.expire(session);
    if (wasConnected) this.refresh(peerIndex);
  }

  private loseContact(session: Session): void {
    if (session.contactLostAtMs !== null) return;
    session.contactLostAtMs = this.world.queue.nowMs;
    this.scheduleExpiry(session);
  }

  private scheduleExpiry(session: Session): void {
    const lostAt = session.contactLostAtMs;
    this.world.queue.after(this.world.timing.sessionTimeoutMs, () => {
      // The service cannot expire sessions while it is itself down; it restarts their timers when back.
      if (!session.alive || session.contactLostAtMs !== lostAt || lostAt === null || this.world.net.outage) return;
      this.expire(session);
    });
  }

  private expire(session: Session): void {
    session.alive = false;
    const before = this.nodes.length;
    const gone = this.nodes.filter((node) => node.sessionId === session.id);
    this.nodes = this.nodes.filter((node) => node.sessionId !== session.id);
    for (const node of gone) if (!this.isPresent(node.peer.id)) this.absentSinceWrite.add(node.peer.id);
    if (this.nodes.length !== before) this.notifyActive();
  }

  outageStarted(): void {
    for (let index = 0; index < this.world.peers.length; index += 1) this.refresh(index);
  }

  outageEnded(): void {
    for (const session of this.sessions.values()) {
      if (!session.alive || session.contactLostAtMs === null) continue;
      session.contactLostAtMs = this.world.queue.nowMs;
      this.scheduleExpiry(session);
    }
    for (let index = 0; index < this.world.peers.length; index += 1) this.refresh(index);
  }

  /** FIFO per session, dropped if the connection it was sent on is gone by delivery time. */
  private send(session: Session, observation: Observation, delayMs = this.world.rng.between(this.world.timing.coordLatencyMs)): void {
    const atMs = Math.max(session.channelAtMs, this.world.queue.nowMs + delayMs);
    session.channelAtMs = atMs;
    session.sent += 1;
    const position = session.sent;
    const epoch = session.epoch;
    this.world.queue.at(atMs, () => {
      if (!session.alive || !session.connected || session.epoch !== epoch) return;
      session.deliveredPosition = position;
      session.sitter.deliver(observation);
    });
  }

  private notifyActive(): void {
    const active = this.activeEntries();
    for (const session of this.sessions.values()) {
      if (session.alive && session.connected) {
        this.send(session, { kind: 'activeListChanged', active }, this.world.rng.between(this.world.timing.watchDelayMs));
      }
    }
  }

  private notifyState(): void {
    const cluster = this.clusterData();
    for (const session of this.sessions.values()) {
      if (session.alive && session.connected) {
        this.send(session, { kind: 'clusterStateChanged', cluster }, this.world.rng.between(this.world.timing.watchDelayMs));
      }
    }
  }

  /**
   * A request on the sitter's session: applied after one latency if the connection still stands, answered
   * after another (in order with the session's watch events); a connection lost in between reports failure
   * (after the apply: outcome unknown).
   */
  request(sitter: SimSitter, report: Report, apply: (sessionId: number) => Observation, fail: (error: string) => Observation): void {
    this.sendRequest(sitter, report, apply, fail, 0);
  }

  /**
   * readCoordination: like any request, except that the real runner hands a read's result over on another async
   * path than watch events, so it may reach the state machine after watch events sent later (the lag).
   */
  requestRead(sitter: SimSitter, report: Report, apply: () => Observation, fail: (error: string) => Observation): void {
    const timing = this.world.timing;
    const lagMs = this.world.rng.chance(timing.readLagChance) ? this.world.rng.between(timing.readLagMs) : 0;
    this.sendRequest(sitter, report, apply, fail, lagMs);
  }

  private sendRequest(sitter: SimSitter, report: Report, apply: (sessionId: number) => Observation, fail: (error: string) => Observation, lagMs: number): void {
    const session = this.sessionOf(sitter);
    const timing = this.world.timing;
    const queue = this.world.queue;
    if (session === undefined || !session.alive || !session.connected) {
      queue.after(this.world.rng.int(1, 5), () => report(fail('not connected')));
      return;
    }
    const epoch = session.epoch;
    const live = (): boolean => session.alive && session.connected && session.epoch === epoch;
    queue.after(this.world.rng.between(timing.coordLatencyMs), () => {
      if (!live()) {
        queue.after(timing.coordOpTimeoutMs, () => report(fail('connection lost before the request was applied')));
        return;
      }
      const result = apply(session.id);
      const atMs = Math.max(session.channelAtMs, queue.nowMs + this.world.rng.between(timing.coordLatencyMs));
      session.channelAtMs = atMs;
      session.sent += 1;
      const position = session.sent;
      // The lag is after the channel: it does not hold back the watch events queued behind the answer.
      queue.at(atMs + lagMs, () => {
        if (!live()) {
          queue.after(timing.coordOpTimeoutMs, () => report(fail('connection lost after the request was sent (outcome unknown)')));
          return;
        }
        if (session.deliveredPosition > position) this.overtakenReads += 1;
        else session.deliveredPosition = position;
        report(result);
      });
    });
  }

  register(peer: Peer, sessionId: number): number {
    this.seq += 1;
    this.nodes.push({ peer, seq: this.seq, sessionId });
    this.notifyActive();
    return this.seq;
  }

  unregister(peerId: PeerId, sessionId: number): void {
    const before = this.nodes.length;
    this.nodes = this.nodes.filter((node) => !(node.sessionId === sessionId && node.peer.id === peerId));
    if (!this.isPresent(peerId)) this.absentSinceWrite.add(peerId);
    if (this.nodes.length !== before) this.notifyActive();
  }

  write(writer: Writer, mode: 'create' | 'cas', expectedVersion: number | null, state: ClusterState): WriteOutcome {
    const stored = this.stored;
    if (mode === 'create' ? stored !== null : stored === null || stored.version !== expectedVersion) return { ok: false };
    const version = stored === null ? 0 : stored.version + 1;
    this.world.checker.onStateWritten(stored?.state ?? null, state, writer);
    this.stored = { state, version };
    this.raw = null;
    this.absentSinceWrite.clear();
    for (const peer of [state.primary, ...(state.sync === null ? [] : [state.sync]), ...state.async]) {
      if (!this.isPresent(peer.id)) this.absentSinceWrite.add(peer.id);
    }
    this.notifyState();
    return { ok: true, version };
  }
}
