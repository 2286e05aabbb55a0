// The liveness phase: heal every fault, then require one writable primary with a caught-up sync within bounded time.
import { sharesPrefix } from './pg.js';
import { rebuild, unfreeze } from './operator.js';
import type { World } from './world.js';

export function heal(world: World): void {
  const wasOutage = world.net.outage;
  world.net.healAll();
  if (wasOutage) world.coord.outageEnded();
  for (const peer of world.peers) {
    peer.pg.startBlockedUntilMs = 0;
    peer.pg.slowUntilMs = 0;
    peer.pg.storageStalledUntilMs = 0;
    if (!peer.alive) world.restartPeer(peer.index);
    else if (peer.sitter?.alive !== true) world.startSitter(peer.index);
    world.coord.refresh(peer.index);
  }
  unfreeze(world);
}

/** Standbys whose history diverged from the primary's cannot stream; an operator rebuilds them (deposed peers stay). */
function rebuildDiverged(world: World): void {
  const state = world.coord.stored?.state;
  const primary = state === undefined ? undefined : world.peerById(state.primary.id);
  if (state === undefined || primary === undefined || !primary.alive || primary.pg.dataRole !== 'primary') return;
  for (const peer of world.peers) {
    if (peer === primary || !peer.alive || peer.pg.dataRole !== 'standby') continue;
    if (state.deposed.some((deposed) => deposed.id === peer.peer.id)) continue;
    if (!sharesPrefix(peer.pg, primary.pg, Math.min(peer.pg.wal.length, primary.pg.sendableLen))) rebuild(world, peer.index);
  }
}

/** Exactly one server accepts writes, it is the state's primary, and (unless singleton) its named sync keeps up. */
export function converged(world: World): boolean {
  const state = world.coord.stored?.state;
  if (state === undefined || state.freeze !== undefined) return false;
  const writers = world.peers.filter((peer) => peer.alive && peer.pg.acceptsWrites);
  const primary = writers[0];
  if (writers.length !== 1 || primary === undefined || primary.peer.id !== state.primary.id) return false;
  if (state.oneNodeWriteMode === true) return true;
  const sync = state.sync === null ? undefined : world.peerById(state.sync.id);
  if (sync === undefined || !sync.alive || primary.pg.syncStandby !== sync.peer.id) return false;
  const lag = primary.pg.wal.length - sync.pg.flushLen;
  return sync.pg.upstream === primary.peer.id && sync.pg.streaming && lag <= world.timing.replicationChunk * 2;
}

function describe(world: World): string {
  const state = world.coord.stored?.state;
  const roles = world.peers.map((peer) => {
    const sitter = peer.sitter;
    const why = sitter?.state.waitingReason ?? '';
    return `${peer.peer.id} ${sitter?.alive === true ? sitter.state.role : 'no sitter'} pg=${peer.pg.running ? peer.pg.dataRole : 'down'}${peer.pg.acceptsWrites ? '+rw' : ''} ${why}`;
  });
  return `generation ${state?.generation ?? '-'}: ${roles.join(' | ')}`;
}

/** Returns true when the shard converged (and stayed so for stableMs) within budgetMs after healing. */
export function runLiveness(world: World, budgetMs: number, stableMs = 1000): boolean {
  heal(world);
  const deadline = world.nowMs + budgetMs;
  const rebuildLoop = (): void => {
    rebuildDiverged(world);
    // The service manager restarts sitters that exited (a graceful shutdown may complete after heal()).
    for (const peer of world.peers) if (peer.alive && peer.sitter?.alive !== true) world.startSitter(peer.index);
    if (world.nowMs < deadline) world.queue.after(1000, rebuildLoop);
  };
  world.queue.after(1000, rebuildLoop);
  let since: number | null = null;
  world.runUntil(deadline, () => {
    if (!converged(world)) since = null;
    else since ??= world.nowMs;
    return since !== null && world.nowMs - since >= stableMs;
  });
  if (world.checker.failed) return false;
  const state = world.coord.stored?.state;
  const primary = state === undefined ? undefined : world.peerById(state.primary.id);
  if (since === null || primary === undefined || world.nowMs - since < stableMs) {
    world.checker.report('liveness', `no convergence within ${budgetMs} ms after healing: ${describe(world)}`);
    return false;
  }
  world.checker.checkHolds(primary, 'final primary');
  return !world.checker.failed;
}
