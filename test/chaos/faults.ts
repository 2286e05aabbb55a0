// Injects one planned fault into the running shard and returns how to heal it.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isolatePeer, rejoinPeer } from './netns.js';
import { postgresPid, postgresTree, startSitter, type ChaosPeer } from './peers.js';
import type { PlannedFault } from './schedule.js';
import type { ChaosWorld } from './world.js';

const run = promisify(execFile);

export interface Injected {
  /** What was done, for the timeline. */
  readonly what: string;
  readonly heal: () => Promise<string>;
}

function signal(pids: readonly (number | undefined)[], sig: NodeJS.Signals): number[] {
  const hit: number[] = [];
  for (const pid of pids) {
    if (pid === undefined) continue;
    try {
      process.kill(pid, sig);
      hit.push(pid);
    } catch {
      /* already gone */
    }
  }
  return hit;
}

const nothing = async (): Promise<string> => 'nothing to heal';

/** Restarts the sitter if the fault left it dead (kill faults). */
function restartSitter(world: ChaosWorld, peer: ChaosPeer): () => Promise<string> {
  return async () => {
    startSitter(peer, world.codeDir);
    return `${peer.name}'s sitter started again`;
  };
}

function stopFor(pids: number[], label: string): Injected {
  const stopped = signal(pids, 'SIGSTOP');
  return {
    what: `SIGSTOP ${label} (pids ${stopped.join(',') || 'none'})`,
    heal: async () => `SIGCONT ${label} (${signal(stopped, 'SIGCONT').length} processes)`,
  };
}

async function zkFault(world: ChaosWorld, all: boolean): Promise<Injected> {
  const leader = await world.zk.leaderId();
  const victims = all ? [1, 2, 3] : leader === undefined ? [] : [leader];
  for (const id of victims) await world.zk.kill(id);
  const heal = async (): Promise<string> => {
    const started = world.zk.restartStopped();
    // The run goes on even if a server is slow to rejoin: the health check waits for the shard, not for ZooKeeper.
    await world.zk.waitServing(started, 90_000).catch(() => undefined);
    return `ZooKeeper server(s) ${started.join(',') || 'none'} started again`;
  };
  return { what: all ? 'all ZooKeeper servers killed' : `ZooKeeper leader (server ${leader ?? 'none found'}) killed`, heal };
}

/** Fills what the quota leaves free with incompressible bytes, so the standby's next WAL write really fails. */
function fill(path: string, limitBytes: number): number {
  const chunk = randomBytes(256 * 1024);
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    while (written < limitBytes) written += writeSync(fd, chunk);
  } catch {
    /* ENOSPC or EDQUOT: full, as intended */
  } finally {
    closeSync(fd);
  }
  return written;
}

async function diskFull(peer: ChaosPeer): Promise<Injected> {
  const dataset = peer.dataset;
  const storage = peer.config.storage;
  if (dataset === null || storage.kind !== 'zfs') throw new Error('disk-full needs ZFS storage (a quota)');
  let quota = 0;
  for (let attempt = 1; quota === 0; attempt += 1) {
    const { stdout } = await run('zfs', ['get', '-Hp', '-o', 'value', 'used', dataset]);
    // Headroom so the quota takes although WAL keeps arriving; the filler then takes the rest.
    const candidate = Number(stdout.trim()) + attempt * 2 * 1024 * 1024;
    const set = await run('zfs', ['set', `quota=${candidate}`, dataset]).then(() => true, (error: unknown) => {
      if (attempt >= 5) throw error;
      return false;
    });
    if (set) quota = candidate;
  }
  // Beside the data directory, never inside it: base backups copy only the data directory.
  const filler = join(storage.mountpoint, 'chaos-filler');
  const filled = fill(filler, 64 * 1024 * 1024);
  return {
    what: `quota on ${dataset} set to ${quota} bytes and ${filled} bytes of filler written: full`,
    heal: async () => {
      await rm(filler, { force: true });
      await run('zfs', ['set', 'quota=none', dataset]);
      return `filler removed, quota on ${dataset} removed`;
    },
  };
}

export async function inject(world: ChaosWorld, fault: PlannedFault, victim: ChaosPeer): Promise<Injected> {
  const name = victim.name;
  switch (fault.kind) {
    case 'kill-pg':
      return { what: `kill -9 ${name}'s postgres (pid ${signal([postgresPid(victim)], 'SIGKILL').join(',') || 'none'})`, heal: nothing };
    case 'kill-sitter':
      return { what: `kill -9 ${name}'s sitter (pid ${signal([victim.sitterPid], 'SIGKILL').join(',') || 'none'})`, heal: restartSitter(world, victim) };
    case 'kill-both': {
      const hit = signal([victim.sitterPid, ...postgresTree(victim)], 'SIGKILL');
      return { what: `kill -9 ${name}'s sitter and postgres (pids ${hit.join(',')})`, heal: restartSitter(world, victim) };
    }
    case 'stop-sitter-short':
    case 'stop-sitter-long':
      return stopFor(victim.sitterPid === undefined ? [] : [victim.sitterPid], `${name}'s sitter`);
    case 'stop-pg-short':
    case 'stop-pg-long':
      return stopFor(postgresTree(victim), `${name}'s postgres`);
    case 'kill-zk-leader':
      return zkFault(world, false);
    case 'zk-down':
      return zkFault(world, true);
    case 'partition-short':
    case 'partition-long':
      await isolatePeer(world.net, victim.index);
      return {
        what: `${name} (${victim.ip}) cut off from ZooKeeper and the other peers`,
        heal: async () => {
          await rejoinPeer(world.net, victim.index);
          return `${name} reachable again`;
        },
      };
    case 'disk-full':
      return diskFull(victim);
  }
}
