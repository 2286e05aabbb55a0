// What an operator does to the cluster state (freeze, unfreeze, promote requests, edits) and to peers (shutdown, rebuild).
import type { ClusterState } from '../../src/schema/index.js';
import type { World } from './world.js';

function isoAt(world: World, offsetMs: number): string {
  return new Date(world.queue.nowMs + offsetMs).toISOString();
}

/** Operator writes are compare-and-set on the current version and keep the generation; false when not possible. */
export function operatorWrite(world: World, change: (state: ClusterState) => ClusterState | null): boolean {
  const stored = world.coord.stored;
  if (stored === null || world.net.outage) return false;
  const next = change(stored.state);
  if (next === null) return false;
  return world.coord.write('operator', 'cas', stored.version, next).ok;
}

export function freeze(world: World, reason = 'operator freeze'): boolean {
  return operatorWrite(world, (state) => ({ ...state, freeze: { date: isoAt(world, 0), reason } }));
}

export function unfreeze(world: World): boolean {
  return operatorWrite(world, (state) => {
    if (state.freeze === undefined) return null;
    const { freeze: _removed, ...rest } = state;
    return rest;
  });
}

/** A planned switchover to the sync (role 'sync') or promotion of async[asyncIndex] to sync. */
export function requestPromote(world: World, role: 'sync' | 'async', asyncIndex = 0, validForMs = 10_000): boolean {
  return operatorWrite(world, (state) => {
    const target = role === 'sync' ? state.sync : state.async[asyncIndex];
    if (target === null || target === undefined) return null;
    const expireTime = isoAt(world, validForMs);
    const promote =
      role === 'sync'
        ? { id: target.id, role, generation: state.generation, expireTime }
        : { id: target.id, role, asyncIndex, generation: state.generation, expireTime };
    return { ...state, promote };
  });
}

export function requestShutdown(world: World, index: number): void {
  world.peers[index]?.sitter?.deliver({ kind: 'shutdownRequested' });
}

/** Wipes a standby's data (as `dugong-adm rebuild` will): its sitter clones it again from its upstream. */
export function rebuild(world: World, index: number): void {
  const pg = world.peers[index]?.pg;
  if (pg === undefined) return;
  pg.stop();
  pg.wal.length = 0;
  pg.flushLen = 0;
  pg.replayLen = 0;
  pg.dataRole = 'none';
  pg.upstream = null;
}
