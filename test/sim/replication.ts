// Streaming replication along the chain: each round a standby flushes what it received, releases its primary's
// waiting commits if it is the named sync, receives the next chunk from its upstream, and replays.
import { sharesPrefix, type SimPg } from './pg.js';
import type { SimPeer, World } from './world.js';

/** The upstream's history must extend mine (or mine extend it); anything else has diverged and cannot stream. */
function compatible(standby: SimPg, upstream: SimPg): boolean {
  const common = Math.min(standby.wal.length, upstream.sendableLen);
  return sharesPrefix(standby, upstream, common);
}

function upstreamOf(world: World, peer: SimPeer): SimPeer | null {
  const upstream = peer.pg.upstream === null ? undefined : world.peerById(peer.pg.upstream);
  if (upstream === undefined || !upstream.alive || !upstream.pg.running || upstream.pg.dataRole === 'none') return null;
  return world.net.peerLink(peer.index, upstream.index) ? upstream : null;
}

function receive(world: World, peer: SimPeer, upstream: SimPeer | null, round: number): void {
  const pg = peer.pg;
  pg.streaming = upstream !== null && compatible(pg, upstream.pg);
  if (upstream === null || !pg.streaming) return;
  const slow = world.queue.nowMs < pg.slowUntilMs;
  if (slow && round % world.timing.slowEveryRounds !== 0) return;
  const chunk = slow ? world.timing.slowChunk : world.timing.replicationChunk;
  const until = Math.min(upstream.pg.sendableLen, pg.wal.length + chunk);
  for (let index = pg.wal.length; index < until; index += 1) pg.wal.push(upstream.pg.wal[index] as number);
}

function replay(world: World, pg: SimPg): void {
  pg.replayLen = Math.min(pg.flushLen, pg.replayLen + world.timing.replayChunk);
}

export function replicationRound(world: World, round: number): void {
  for (const peer of world.peers) {
    const pg = peer.pg;
    if (!peer.alive || !pg.running || pg.dataRole !== 'standby') continue;
    const upstream = upstreamOf(world, peer);
    // Stalled storage flushes nothing: commits waiting for this standby keep waiting.
    if (world.queue.nowMs >= pg.storageStalledUntilMs) {
      pg.flushLen = pg.wal.length;
      if (upstream !== null) world.client.releaseCommits(upstream, peer);
    }
    receive(world, peer, upstream, round);
    replay(world, pg);
  }
}
