// The simulated shard: peers (sitter + PostgreSQL), coordinator, network, client and checkers on one virtual clock.
import { decide as productionDecide, type DecideFn, type FsmConfig, type Observation, type PgStatus, type TransitionId } from '../../src/fsm/index.js';
import { bigIntToLsn, type Lsn, type Peer, type PeerId } from '../../src/schema/index.js';
import { Checker } from './checkers.js';
import { SimClient } from './client.js';
import { SimClock } from './clock.js';
import { SimCoordinator } from './coordinator.js';
import { Network } from './network.js';
import { SimPg } from './pg.js';
import { EventQueue } from './queue.js';
import { replicationRound } from './replication.js';
import { Rng } from './rng.js';
import { SimSitter } from './sitter.js';
import { DEFAULT_TIMING, SIM_EPOCH_MS, SIM_FSM_CONFIG, type SimTiming } from './timing.js';

export interface SimPeer {
  readonly index: number;
  readonly peer: Peer;
  readonly pg: SimPg;
  alive: boolean;
  sitter: SimSitter | null;
}

export interface LogRecord {
  readonly atMs: number;
  readonly peer: PeerId;
  readonly sentence: string;
  readonly transition: TransitionId | null;
}

export interface WorldOptions {
  readonly seed: number;
  readonly peerCount: number;
  readonly decide?: DecideFn;
  readonly timing?: SimTiming;
  readonly fsmConfig?: Partial<FsmConfig>;
  /** Keep every log sentence (scenarios); the bulk simulation keeps only transition tags. */
  readonly keepLogs?: boolean;
}

export function simPeer(number: number): Peer {
  const ip = `10.0.0.${number}`;
  return {
    id: `${ip}:5432:10002`,
    ip,
    pgUrl: `tcp://postgres@${ip}:5432/postgres`,
    zoneId: `zone-${number}`,
    backupUrl: `http://${ip}:10002`,
  };
}

export class World {
  readonly rng: Rng;
  readonly queue: EventQueue;
  /** The one virtual clock every simulated runner reads and sets its timers on. */
  readonly clock: SimClock;
  readonly startMs = SIM_EPOCH_MS;
  readonly timing: SimTiming;
  readonly fsmConfig: FsmConfig;
  readonly decide: DecideFn;
  readonly net: Network;
  readonly coord: SimCoordinator;
  readonly client: SimClient;
  readonly checker: Checker;
  readonly peers: SimPeer[];
  readonly logs: LogRecord[] = [];
  readonly transitions = new Map<TransitionId, number>();
  private readonly keepLogs: boolean;
  private readonly lsnBase: bigint;
  private recordIds = 0;
  private round = 0;

  constructor(options: WorldOptions) {
    this.rng = new Rng(options.seed);
    this.queue = new EventQueue(SIM_EPOCH_MS);
    this.clock = new SimClock(this.queue, SIM_EPOCH_MS);
    this.timing = options.timing ?? DEFAULT_TIMING;
    this.fsmConfig = { ...SIM_FSM_CONFIG, ...options.fsmConfig };
    this.decide = options.decide ?? productionDecide;
    this.keepLogs = options.keepLogs ?? false;
    // WAL starts just below the 4 GiB mark so that positions cross from "0/FFFFF…" to "1/…" in most runs.
    this.lsnBase = 0x1_0000_0000n - 0x1000n * BigInt(1 + (options.seed % 4));
    this.net = new Network(options.peerCount);
    this.peers = Array.from({ length: options.peerCount }, (_, index) => ({
      index,
      peer: simPeer(index + 1),
      pg: new SimPg(),
      alive: true,
      sitter: null,
    }));
    this.coord = new SimCoordinator(this);
    this.client = new SimClient(this);
    this.checker = new Checker(this);
  }

  get nowMs(): number {
    return this.queue.nowMs - this.startMs;
  }

  lsn(length: number): Lsn {
    return bigIntToLsn(this.lsnBase + BigInt(length) * 0x80n);
  }

  newRecordId(): number {
    this.recordIds += 1;
    return this.recordIds;
  }

  peerId(index: number): PeerId {
    return this.peers[index]?.peer.id ?? `?${index}`;
  }

  peerById(id: PeerId): SimPeer | undefined {
    return this.peers.find((peer) => peer.peer.id === id);
  }

  pgOf(index: number): SimPg {
    const peer = this.peers[index];
    if (peer === undefined) throw new RangeError(`no peer ${index}`);
    return peer.pg;
  }

  pgStatus(index: number): PgStatus {
    const pg = this.pgOf(index);
    const primary = pg.dataRole === 'primary';
    return {
      running: pg.running,
      dataRole: pg.dataRole,
      writable: pg.acceptsWrites,
      syncStandby: primary ? pg.syncStandby : null,
      upstream: primary ? null : pg.upstream,
      streaming: pg.running && !primary && pg.streaming,
      walLsn: this.lsn(primary ? pg.wal.length : pg.flushLen),
      replayLsn: this.lsn(primary ? pg.wal.length : pg.replayLen),
    };
  }

  /** Promotion appends a record no other history has: a new timeline. */
  promote(index: number, pg: SimPg): string | null {
    const wasStandby = pg.running && pg.dataRole === 'standby';
    const error = pg.promote(this.newRecordId());
    const peer = this.peers[index];
    if (error === null && wasStandby && peer !== undefined) this.checker.onPromoted(peer);
    return error;
  }

  deliverAfter(sitter: SimSitter, observation: Observation, delayMs: number): void {
    this.queue.after(delayMs, () => sitter.deliver(observation));
  }

  /** Every decision a runner records (bound: handed to each sitter's decision log). */
  readonly recordDecision = (peer: PeerId, sentence: string, transition: TransitionId | null): void => {
    if (transition !== null) this.transitions.set(transition, (this.transitions.get(transition) ?? 0) + 1);
    if (this.keepLogs || transition !== null) this.logs.push({ atMs: this.nowMs, peer, sentence, transition });
  };

  /** Starts the clockwork (replication rounds, client commits); sitters are started separately. */
  start(): void {
    this.every(this.timing.replicationRoundMs, () => {
      this.round += 1;
      replicationRound(this, this.round);
    });
    const commit = (): void => {
      this.client.round();
      this.queue.after(this.rng.between(this.timing.commitEveryMs), commit);
    };
    this.queue.after(this.rng.between(this.timing.commitEveryMs), commit);
  }

  private every(intervalMs: number, run: () => void): void {
    const tick = (): void => {
      run();
      this.queue.after(intervalMs, tick);
    };
    this.queue.after(intervalMs, tick);
  }

  startSitter(index: number): void {
    const peer = this.peers[index];
    if (peer === undefined || !peer.alive || peer.sitter?.alive === true) return;
    const sitter = new SimSitter(this, index, peer.peer);
    peer.sitter = sitter;
    sitter.deliver({ kind: 'start' });
    this.coord.refresh(index);
  }

  /** The sitter process ends (graceful exit): it closes its session; PostgreSQL was stopped by the sitter. */
  sitterExited(sitter: SimSitter): void {
    sitter.kill();
    this.coord.close(sitter);
  }

  /** The sitter process dies; PostgreSQL keeps running (it has its own lifecycle), the session lingers. */
  killSitter(index: number): void {
    const sitter = this.peers[index]?.sitter;
    if (sitter === undefined || sitter === null || !sitter.alive) return;
    sitter.kill();
    this.coord.abandon(sitter);
  }

  /** The whole peer goes down: sitter and PostgreSQL (unflushed WAL lost). */
  crashPeer(index: number): void {
    const peer = this.peers[index];
    if (peer === undefined || !peer.alive) return;
    this.killSitter(index);
    peer.pg.crash();
    peer.alive = false;
  }

  restartPeer(index: number): void {
    const peer = this.peers[index];
    if (peer === undefined || peer.alive) return;
    peer.alive = true;
    this.startSitter(index);
  }

  /** Runs events until the queue time passes `untilMs` (relative), a violation is found, or `stop` says so. */
  runUntil(untilMs: number, stop: () => boolean = () => false): void {
    const deadline = this.startMs + untilMs;
    while (!this.checker.failed && this.queue.size > 0 && this.queue.nowMs <= deadline && !stop()) {
      this.queue.step();
      this.checker.afterEvent();
    }
  }

  runFor(durationMs: number): void {
    this.runUntil(this.nowMs + durationMs);
  }

  /** Runs exactly `count` events (or until a violation). */
  runEvents(count: number): void {
    for (let done = 0; done < count && !this.checker.failed && this.queue.size > 0; done += 1) {
      this.queue.step();
      this.checker.afterEvent();
    }
  }
}
