// Safety checkers, run after every event and on every state write, acknowledgement and promotion.
import { isDeepStrictEqual } from 'node:util';
import { checkInvariants } from '../../src/fsm/index.js';
import { ClusterStateSchema, compareLsn, type ClusterState } from '../../src/schema/index.js';
import type { Writer } from './coordinator.js';
import { sharesPrefix, type Commit } from './pg.js';
import type { SimPeer, World } from './world.js';

export type ViolationKind =
  | 'split-brain'
  | 'generation'
  | 'schema'
  | 'invariant'
  | 'writer'
  | 'takeover-node-present'
  | 'takeover-frozen'
  | 'takeover-initwal'
  | 'switchover'
  | 'sync-change-writes-on'
  | 'ack-without-sync'
  | 'deposed-acked'
  | 'deposed-writable'
  | 'lost-write'
  | 'liveness';

export interface Violation {
  readonly atMs: number;
  readonly kind: ViolationKind;
  readonly message: string;
}

export class Checker {
  readonly violations: Violation[] = [];

  constructor(private readonly world: World) {}

  get failed(): boolean {
    return this.violations.length > 0;
  }

  report(kind: ViolationKind, message: string): void {
    this.violations.push({ atMs: this.world.queue.nowMs - this.world.startMs, kind, message });
  }

  /** A primary can acknowledge a commit only if no sync is named, or the named sync streams from it right now. */
  canAcknowledge(peer: SimPeer): boolean {
    const pg = peer.pg;
    if (!peer.alive || !pg.acceptsWrites) return false;
    if (pg.syncStandby === null) return true;
    const sync = this.world.peerById(pg.syncStandby);
    if (sync === undefined || !sync.alive || !sync.pg.running || sync.pg.dataRole !== 'standby') return false;
    if (sync.pg.upstream !== peer.peer.id || !sync.pg.streaming || !this.world.net.peerLink(peer.index, sync.index)) return false;
    return sharesPrefix(sync.pg, pg, Math.min(sync.pg.flushLen, pg.wal.length));
  }

  afterEvent(): void {
    let acknowledging = 0;
    for (const peer of this.world.peers) {
      if (this.canAcknowledge(peer)) acknowledging += 1;
      const sitter = peer.sitter;
      if (sitter?.alive === true && sitter.state.deposed && sitter.state.pending.pg === null && peer.pg.acceptsWrites) {
        this.report('deposed-writable', `${peer.peer.id} knows it is deposed but its PostgreSQL accepts writes`);
      }
    }
    if (acknowledging > 1) this.report('split-brain', `${acknowledging} primaries can acknowledge writes at once`);
  }

  onStateWritten(prev: ClusterState | null, next: ClusterState, writer: Writer): void {
    const parsed = ClusterStateSchema.safeParse(next);
    if (!parsed.success) this.report('schema', `written state fails the schema: ${parsed.error.message}`);
    const problems = checkInvariants(next);
    if (problems.length > 0) this.report('invariant', `written state breaks invariants: ${problems.join('; ')}`);
    const who = writer === 'operator' ? 'operator' : this.world.peerId(writer);
    if (prev === null) {
      if (next.generation !== 1 || who !== next.primary.id) this.report('generation', `first state written by ${who} at generation ${next.generation}`);
      return;
    }
    if (next.generation < prev.generation) this.report('generation', `generation went back from ${prev.generation} to ${next.generation}`);
    if (writer === 'operator') {
      if (next.generation !== prev.generation) this.report('writer', 'an operator write changed the generation');
      return;
    }
    this.checkSitterWrite(prev, next, writer);
  }

  private checkSitterWrite(prev: ClusterState, next: ClusterState, writer: number): void {
    const who = this.world.peerId(writer);
    if (next.generation === prev.generation) {
      if (isRejoin(prev, next, who)) return;
      if (who !== prev.primary.id || next.primary.id !== prev.primary.id || next.sync?.id !== prev.sync?.id) {
        this.report('writer', `${who} rewrote generation ${next.generation} changing more than the asyncs`);
      }
      return;
    }
    if (next.generation !== prev.generation + 1) this.report('generation', `generation jumped from ${prev.generation} to ${next.generation}`);
    if (who !== prev.primary.id && who !== prev.sync?.id) this.report('writer', `${who} wrote generation ${next.generation} but is neither P nor S of ${prev.generation}`);
    if (next.primary.id !== prev.primary.id && who === next.primary.id) this.checkTakeover(prev, next, writer);
    else if (next.primary.id !== prev.primary.id) this.checkSwitchover(prev, next, writer);
    else this.checkSyncChange(prev, next, writer);
  }

  /** Rule 4, against the real world at the moment the write lands. */
  private checkTakeover(prev: ClusterState, next: ClusterState, writer: number): void {
    const pg = this.world.pgOf(writer);
    const coord = this.world.coord;
    if (coord.isPresent(prev.primary.id) && !coord.absentSinceWrite.has(prev.primary.id)) {
      this.report('takeover-node-present', `${next.primary.id} took over at generation ${next.generation} while ${prev.primary.id}'s node was present`);
    }
    if (prev.freeze !== undefined) this.report('takeover-frozen', `${next.primary.id} took over a frozen cluster`);
    // PostgreSQL may crash between the decision and the write landing; what must hold is the data it has.
    const replayed = this.world.lsn(pg.replayLen);
    if (compareLsn(replayed, prev.initWal) < 0) {
      this.report('takeover-initwal', `${next.primary.id} took over with replayed WAL ${replayed} < initWal ${prev.initWal}`);
    }
  }

  private checkSwitchover(prev: ClusterState, next: ClusterState, writer: number): void {
    const old = this.world.pgOf(writer);
    const target = this.world.peerById(next.primary.id);
    const flushedAll = target !== undefined && target.pg.flushLen >= old.wal.length && sharesPrefix(target.pg, old, old.wal.length);
    if (old.acceptsWrites || !flushedAll || prev.sync?.id !== next.primary.id) {
      this.report('switchover', `switchover to ${next.primary.id} at generation ${next.generation} without writes off and its WAL flushed`);
    }
  }

  /** A new sync with initWal = the primary's WAL requires writes off first: nothing acknowledged can lie beyond it. */
  private checkSyncChange(prev: ClusterState, next: ClusterState, writer: number): void {
    const pg = this.world.pgOf(writer);
    if (next.sync?.id === prev.sync?.id) return;
    if (pg.acceptsWrites || compareLsn(this.world.lsn(pg.wal.length), next.initWal) > 0) {
      this.report('sync-change-writes-on', `generation ${next.generation} changed the sync while writes were on or past initWal ${next.initWal}`);
    }
  }

  /** Rule 6 at the moment of acknowledgement: the named sync flushed it, or the state is in one-node-write mode. */
  onAcknowledged(peer: SimPeer, commit: Commit, sync: SimPeer | null): void {
    const stored = this.world.coord.stored?.state;
    if (sync === null && !(stored?.oneNodeWriteMode === true && stored.primary.id === peer.peer.id)) {
      this.report('ack-without-sync', `${peer.peer.id} acknowledged commit ${commit.id} with no synchronous standby named, outside one-node-write mode`);
    }
    if (stored?.deposed.some((deposed) => deposed.id === peer.peer.id) === true) {
      this.report('deposed-acked', `${peer.peer.id} acknowledged commit ${commit.id} after it was deposed (flushed by ${sync?.peer.id ?? 'nobody'})`);
    }
  }

  /** A promoted server becomes the source of truth: every acknowledged commit must already be in its WAL. */
  onPromoted(peer: SimPeer): void {
    this.checkHolds(peer, 'promoted');
  }

  checkHolds(peer: SimPeer, when: string): void {
    const missing = this.world.client.acked.find((commit) => peer.pg.wal[commit.index] !== commit.id);
    if (missing !== undefined) {
      this.report('lost-write', `${when} ${peer.peer.id} lacks acknowledged commit ${missing.id} (acknowledged by ${this.world.peerId(missing.peerIndex)})`);
    }
  }
}

/** A rebuilt deposed peer may take itself off the deposed list at the same generation, and change nothing else. */
function isRejoin(prev: ClusterState, next: ClusterState, who: string): boolean {
  if (!prev.deposed.some((peer) => peer.id === who)) return false;
  const expected = { ...prev, deposed: prev.deposed.filter((peer) => peer.id !== who) };
  return isDeepStrictEqual(expected, next);
}
