// The simulated application: commits on every server that accepts writes, and records which commits were acknowledged.
import type { Commit } from './pg.js';
import { sharesPrefix } from './pg.js';
import type { SimPeer, World } from './world.js';

export class SimClient {
  readonly acked: Commit[] = [];
  commits = 0;
  enabled = true;

  constructor(private readonly world: World) {}

  /** One commit attempt on each server accepting writes (a split brain would show as two). */
  round(): void {
    if (!this.enabled) return;
    for (const peer of this.world.peers) {
      if (!peer.alive || !peer.pg.acceptsWrites) continue;
      const id = this.world.newRecordId();
      const commit: Commit = { id, peerIndex: peer.index, index: peer.pg.append(id), ackedAtMs: null };
      this.commits += 1;
      // PostgreSQL acknowledges at once when no synchronous standby is named.
      if (peer.pg.syncStandby === null) this.acknowledge(peer, commit, null);
      else peer.pg.pending.push(commit);
    }
  }

  /** `standby` just flushed: if it is the sync its primary names, the commits it now holds are acknowledged. */
  releaseCommits(primary: SimPeer, standby: SimPeer): void {
    const pg = primary.pg;
    if (pg.pending.length === 0 || pg.dataRole !== 'primary' || pg.syncStandby !== standby.peer.id) return;
    const flushed = standby.pg.flushLen;
    if (!sharesPrefix(standby.pg, pg, Math.min(flushed, pg.wal.length))) return;
    const still: Commit[] = [];
    for (const commit of pg.pending) {
      if (commit.index < flushed) this.acknowledge(primary, commit, standby);
      else still.push(commit);
    }
    pg.pending = still;
  }

  /** `sync` is the standby whose flush released the commit; null when PostgreSQL named none. */
  private acknowledge(peer: SimPeer, commit: Commit, sync: SimPeer | null): void {
    commit.ackedAtMs = this.world.queue.nowMs;
    this.acked.push(commit);
    this.world.checker.onAcknowledged(peer, commit, sync);
  }
}
