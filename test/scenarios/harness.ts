// Scenario harness: the simulated world without random faults, driven step by step in virtual time by name (A, B, C…).
import type { FsmConfig, Role, TransitionId } from '../../src/fsm/index.js';
import type { ClusterState, PeerId } from '../../src/schema/index.js';
import type { Violation } from '../sim/checkers.js';
import { converged } from '../sim/liveness.js';
import { freeze, operatorWrite, requestPromote, requestShutdown, unfreeze } from '../sim/operator.js';
import { World, type LogRecord } from '../sim/world.js';

export const NAMES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Name = (typeof NAMES)[number];

export interface ScenarioSetup {
  readonly peers: number;
  readonly fsmConfig?: Partial<FsmConfig>;
  /** Only varies latencies; every scenario is deterministic. */
  readonly seed?: number;
}

export class Scenario {
  readonly world: World;

  constructor(setup: ScenarioSetup) {
    this.world = new World({
      seed: setup.seed ?? 7,
      peerCount: setup.peers,
      keepLogs: true,
      ...(setup.fsmConfig === undefined ? {} : { fsmConfig: setup.fsmConfig }),
    });
    this.world.start();
  }

  index(name: Name): number {
    const index = NAMES.indexOf(name);
    if (index < 0 || index >= this.world.peers.length) throw new RangeError(`no peer ${name} in this scenario`);
    return index;
  }

  id(name: Name): PeerId {
    return this.world.peerId(this.index(name));
  }

  nameOf(id: PeerId | undefined): Name | undefined {
    const index = this.world.peers.findIndex((peer) => peer.peer.id === id);
    return index < 0 ? undefined : NAMES[index];
  }

  // ---- time ----
  run(durationMs: number): this {
    this.world.runFor(durationMs);
    return this;
  }

  /** Runs until `condition` holds; throws (naming the condition) if it does not within maxMs. */
  until(what: string, condition: () => boolean, maxMs = 30_000): this {
    const deadline = this.world.nowMs + maxMs;
    this.world.runUntil(deadline, condition);
    if (!condition()) throw new Error(`not reached within ${maxMs} ms: ${what} (${this.describe()})`);
    return this;
  }

  untilConverged(maxMs = 30_000): this {
    return this.until('one writable primary with a caught-up sync', () => converged(this.world), maxMs);
  }

  // ---- peers ----
  start(...names: Name[]): this {
    for (const name of names) this.world.startSitter(this.index(name));
    return this;
  }

  crash(name: Name): this {
    this.world.crashPeer(this.index(name));
    return this;
  }

  restart(name: Name): this {
    this.world.restartPeer(this.index(name));
    return this;
  }

  /** The sitter process dies and comes back; PostgreSQL keeps running and the old session lingers. */
  restartSitter(name: Name): this {
    this.world.killSitter(this.index(name));
    this.world.startSitter(this.index(name));
    return this;
  }

  crashPostgres(name: Name, cannotStartForMs = 0): this {
    const pg = this.world.pgOf(this.index(name));
    pg.crash();
    pg.startBlockedUntilMs = this.world.queue.nowMs + cannotStartForMs;
    return this;
  }

  /** The peer's storage stops answering for forMs: its checks fail at their deadline, a standby flushes nothing. */
  stallStorage(name: Name, forMs: number): this {
    this.world.pgOf(this.index(name)).storageStalledUntilMs = this.world.queue.nowMs + forMs;
    return this;
  }

  shutdown(name: Name): this {
    requestShutdown(this.world, this.index(name));
    return this;
  }

  // ---- network and coordination ----
  cutFromCoordinator(name: Name): this {
    this.world.net.coordLink[this.index(name)] = false;
    this.world.coord.refresh(this.index(name));
    return this;
  }

  reconnectToCoordinator(name: Name): this {
    this.world.net.coordLink[this.index(name)] = true;
    this.world.coord.refresh(this.index(name));
    return this;
  }

  /** Cut from the coordinator and from every other peer. */
  isolate(name: Name): this {
    for (const peer of this.world.peers) if (peer.index !== this.index(name)) this.world.net.setPeerLink(this.index(name), peer.index, false);
    return this.cutFromCoordinator(name);
  }

  rejoin(name: Name): this {
    for (const peer of this.world.peers) this.world.net.setPeerLink(this.index(name), peer.index, true);
    return this.reconnectToCoordinator(name);
  }

  coordinationOutage(on: boolean): this {
    this.world.net.outage = on;
    if (on) this.world.coord.outageStarted();
    else this.world.coord.outageEnded();
    return this;
  }

  // ---- operator ----
  freeze(reason: string): this {
    if (!freeze(this.world, reason)) throw new Error('freeze was not written');
    return this;
  }

  unfreeze(): this {
    if (!unfreeze(this.world)) throw new Error('unfreeze was not written');
    return this;
  }

  promote(role: 'sync' | 'async', asyncIndex = 0): this {
    if (!requestPromote(this.world, role, asyncIndex)) throw new Error('promote request was not written');
    return this;
  }

  /** `dugong-adm rebuild` on the peer's host: the request reaches its sitter as an observation. */
  requestRebuild(name: Name): this {
    this.world.peers[this.index(name)]?.sitter?.deliver({ kind: 'rebuildRequested' });
    return this;
  }

  editState(change: (state: ClusterState) => ClusterState): this {
    if (!operatorWrite(this.world, change)) throw new Error('state edit was not written');
    return this;
  }

  writeRawState(data: unknown): this {
    const stored = this.world.coord.stored;
    if (stored === null) throw new Error('no state to overwrite');
    this.world.coord.overwriteRaw(data);
    return this;
  }

  // ---- observations ----
  state(): ClusterState {
    const stored = this.world.coord.stored;
    if (stored === null) throw new Error('no cluster state written yet');
    return stored.state;
  }

  hasState(): boolean {
    return this.world.coord.stored !== null;
  }

  generation(): number {
    return this.world.coord.stored?.state.generation ?? 0;
  }

  /** Roles as the state names them (by peer name), e.g. { primary: 'A', sync: 'B', async: ['C'], deposed: [] }. */
  layout(): { primary: Name | undefined; sync: Name | undefined; async: Array<Name | undefined>; deposed: Array<Name | undefined> } {
    const state = this.state();
    return {
      primary: this.nameOf(state.primary.id),
      sync: this.nameOf(state.sync?.id),
      async: state.async.map((peer) => this.nameOf(peer.id)),
      deposed: state.deposed.map((peer) => this.nameOf(peer.id)),
    };
  }

  role(name: Name): Role | 'no sitter' {
    const sitter = this.world.peers[this.index(name)]?.sitter;
    return sitter?.alive === true ? sitter.state.role : 'no sitter';
  }

  waiting(name: Name): string | null {
    return this.world.peers[this.index(name)]?.sitter?.state.waitingReason ?? null;
  }

  writable(name: Name): boolean {
    return this.world.pgOf(this.index(name)).acceptsWrites;
  }

  pgRunning(name: Name): boolean {
    return this.world.pgOf(this.index(name)).running;
  }

  acknowledged(): number {
    return this.world.client.acked.length;
  }

  logs(name?: Name): LogRecord[] {
    const id = name === undefined ? undefined : this.id(name);
    return this.world.logs.filter((log) => id === undefined || log.peer === id);
  }

  sentences(name?: Name): string[] {
    return this.logs(name).map((log) => log.sentence);
  }

  transitions(name?: Name): TransitionId[] {
    return this.logs(name).flatMap((log) => (log.transition === null ? [] : [log.transition]));
  }

  violations(): readonly Violation[] {
    return this.world.checker.violations;
  }

  /** Every acknowledged commit is on the current primary's PostgreSQL. */
  primaryHasEveryAcknowledgedWrite(): boolean {
    const primary = this.world.peerById(this.state().primary.id);
    if (primary === undefined) return false;
    return this.world.client.acked.every((commit) => primary.pg.wal[commit.index] === commit.id);
  }

  /** Every logged decision, one per line, with its time, peer name and transition row. */
  trace(): string {
    return this.logs()
      .map((log) => `${String(log.atMs).padStart(7)} ms ${this.nameOf(log.peer) ?? log.peer}${log.transition === null ? '' : ` [${log.transition}]`} ${log.sentence}`)
      .join('\n');
  }

  describe(): string {
    return this.world.peers
      .map((peer, index) => `${NAMES[index] ?? index}=${this.role(NAMES[index] ?? 'A')}${peer.pg.acceptsWrites ? '+rw' : ''}`)
      .join(' ');
  }
}
