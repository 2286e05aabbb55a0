// Brings a deposed (or hopelessly broken) standby back the way an operator would: stop, set the data aside, reap, start fresh.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stopPid } from '../helpers/processes.js';
import { observe } from './health.js';
import { postgresPid, startSitter, stopSitter, type ChaosPeer } from './peers.js';
import type { ChaosWorld } from './world.js';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Set-aside datasets kept for inspection; older ones are destroyed so a long run does not fill the pool. */
const KEEP_DIVERGED = 3;

async function zfs(args: readonly string[], attempts = 10): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await run('zfs', [...args], { timeout: 60_000 });
      return;
    } catch (error) {
      // Right after PostgreSQL stopped, zfs-fuse may still call the dataset busy.
      if (attempt >= attempts) throw error;
      await sleep(1_000);
    }
  }
}

/** Step 2 of manualRebuildSteps: never destroy diverged data on the spot, rename it. */
async function setAside(world: ChaosWorld, peer: ChaosPeer): Promise<string> {
  const dataset = peer.dataset;
  const data = peer.config.postgres.dataDir;
  const aside = dataset === null ? `${data}.diverged-${world.rebuilds}` : `${dataset}-diverged-${world.rebuilds}`;
  // A sitter restarted a moment ago may not have created its storage yet: nothing to set aside then.
  const present = dataset === null ? existsSync(data) : await run('zfs', ['list', '-H', '-o', 'name', dataset]).then(() => true, () => false);
  if (!present) return 'nothing (no data yet)';
  if (dataset === null) {
    await rename(data, aside);
  } else {
    await zfs(['set', 'mountpoint=none', dataset]);
    await zfs(['rename', dataset, aside]);
  }
  world.diverged.push(aside);
  while (world.diverged.length > KEEP_DIVERGED) {
    const oldest = world.diverged.shift();
    if (oldest === undefined) continue;
    if (dataset === null) await rm(oldest, { recursive: true, force: true });
    else await zfs(['destroy', '-r', oldest], 3).catch(() => undefined);
  }
  return aside;
}

/**
 * The operator's housekeeping under `rebuild: auto`: the sitters keep every diverged dataset they isolate (never a
 * silent destroy), so the newest KEEP_DIVERGED per pool stay and older ones go, or a long run fills the shared pool.
 */
export async function pruneIsolated(world: ChaosWorld): Promise<void> {
  if (world.pool === null || world.rebuild !== 'auto') return;
  const { stdout } = await run('zfs', ['list', '-H', '-o', 'name', '-s', 'creation', '-t', 'filesystem', '-r', world.pool.name], { timeout: 60_000 });
  const isolated = stdout.split('\n').filter((name) => /-isolated-[0-9]+$/.test(name));
  const old = isolated.slice(0, Math.max(0, isolated.length - KEEP_DIVERGED));
  // One that a newer copy still depends on stays (zfs refuses); it goes in a later round.
  let destroyed = 0;
  for (const name of old) destroyed += await zfs(['destroy', '-r', name], 1).then(() => 1, () => 0);
  if (destroyed > 0) world.timeline.add('rebuild', `housekeeping: destroyed ${destroyed} old isolated dataset(s), kept the newest ${KEEP_DIVERGED}`);
}

/** Step 3: `dugong-adm reap`, repeated until the state no longer lists the peer (its session may take a moment to close). */
async function reap(world: ChaosWorld, peer: ChaosPeer): Promise<void> {
  const auth = peer.config.zookeeper.authFile === undefined ? [] : ['--auth-file', peer.config.zookeeper.authFile];
  const adm = [process.execPath, '--import', 'tsx', join(world.codeDir, 'src/cmd/adm.ts'), '-z', world.zk.connectString, '-s', world.shardPath, ...auth, 'reap'];
  // Each attempt starts a node process: on a loaded machine that alone can take seconds.
  const deadline = Date.now() + world.sessionTimeoutMs * 3 + 60_000;
  while (Date.now() < deadline) {
    const state = (await observe(world.peers)).state;
    if (state !== null && !state.deposed.some((d) => d.id === peer.id)) return;
    // The adm of the run's own code copy, like the sitters (the checkout may be mid-edit).
    await run(adm[0] ?? 'node', adm.slice(1), { cwd: world.codeDir, timeout: 60_000 }).catch(() => undefined);
    await sleep(1_000);
  }
  world.timeline.add('error', `${peer.name} is still listed as deposed after reaping`);
}

export async function rebuildPeer(world: ChaosWorld, peer: ChaosPeer, reason: string): Promise<void> {
  world.rebuilds += 1;
  const started = Date.now();
  // A deposed sitter has nothing to hand over: a short grace, then SIGKILL (its session then expires before the reap).
  await stopSitter(peer, 'SIGTERM', 5_000);
  const pg = postgresPid(peer);
  if (pg !== undefined) await stopPid(pg, 'SIGQUIT', 10_000);
  const aside = await setAside(world, peer);
  await reap(world, peer);
  startSitter(peer, world.codeDir);
  world.timeline.add('rebuild', `${peer.name} rebuilt (${reason}): data set aside as ${aside}, reaped, sitter started again (${Date.now() - started} ms)`);
}
