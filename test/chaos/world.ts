// Brings up the chaos shard inside the prepared namespaces (pool, ZooKeeper ensemble, 3 peers, workload) and tears it down by PID.
import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onEmergencyCleanup } from '../helpers/processes.js';
import { createTestPool, type TestPool } from '../helpers/zfs-pool.js';
import { observe } from './health.js';
import type { ChaosNet } from './netns.js';
import { PG_PORT, postgresPid, preparePeer, startBackupServer, startSitter, stopPeer, type ChaosPeer, type RebuildPolicy } from './peers.js';
import type { Timeline } from './timeline.js';
import { RoleWatcher } from './timeline.js';
import { ensureTable, SplitBrainSampler, Writer, type Endpoint } from './workload.js';
import { ChaosZk } from './zk-ensemble.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface WorldOptions {
  readonly net: ChaosNet;
  readonly outDir: string;
  readonly sessionTimeoutMs: number;
  readonly storage: 'zfs' | 'directory';
  readonly rebuild: RebuildPolicy;
}

export interface ChaosWorld {
  readonly net: ChaosNet;
  readonly workDir: string;
  readonly codeDir: string;
  /** Null with directory storage. */
  readonly pool: TestPool | null;
  readonly zk: ChaosZk;
  readonly peers: readonly ChaosPeer[];
  readonly endpoints: readonly Endpoint[];
  readonly shardPath: string;
  readonly sessionTimeoutMs: number;
  readonly rebuild: RebuildPolicy;
  readonly timeline: Timeline;
  readonly writer: Writer;
  readonly sampler: SplitBrainSampler;
  readonly watcher: RoleWatcher;
  /** Datasets set aside by rebuilds, oldest first. */
  readonly diverged: string[];
  rebuilds: number;
}

/**
 * The committed src/ (git HEAD), unpacked privately: sitters restarted mid-run must run the code the run started with,
 * and a checkout someone is editing must not leak half-written files into the shard.
 */
async function snapshotCode(workDir: string): Promise<string> {
  const codeDir = join(workDir, 'code');
  await mkdir(codeDir, { recursive: true });
  await run('sh', ['-c', 'git -C "$1" archive HEAD src package.json tsconfig.json | tar -x -C "$2"', 'sh', ROOT, codeDir], { timeout: 60_000 });
  await symlink(join(ROOT, 'node_modules'), join(codeDir, 'node_modules'));
  return codeDir;
}

/** Starts the peers one after another (registration order decides roles) and waits for primary, sync and async. */
async function startPeers(peers: readonly ChaosPeer[], codeDir: string, workDir: string, timeline: Timeline): Promise<void> {
  for (const peer of peers) {
    startBackupServer(peer, codeDir, workDir);
    startSitter(peer, codeDir);
    const deadline = Date.now() + 120_000;
    while (!(await observe([peer])).snapshots.get(peer.name)?.activePeers.some((p) => p.id === peer.id)) {
      if (Date.now() > deadline) throw new Error(`${peer.name} did not register within 120 s (see ${peer.logPath})`);
      await sleep(200);
    }
    timeline.add('setup', `${peer.name} (${peer.ip}) registered`);
  }
  const deadline = Date.now() + 180_000;
  for (;;) {
    const view = await observe(peers);
    const ready = ['primary', 'sync', 'async'].every((role, i) => {
      const s = view.snapshots.get(peers[i]?.name ?? '');
      return s?.role === role && s.pg.healthy && (role !== 'primary' || s.pg.writable);
    });
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`the shard did not form within 180 s: ${JSON.stringify(view.roles)}`);
    await sleep(500);
  }
}

async function withPool(options: WorldOptions, workDir: string): Promise<TestPool | null> {
  if (options.storage === 'directory') {
    await writeFile(join(options.outDir, 'resources.json'), JSON.stringify({ workDir }, null, 2));
    return null;
  }
  // Sparse: only what is written takes space; the headroom is for datasets set aside by rebuilds.
  const pool = await createTestPool({ sizeBytes: 3 * 1024 * 1024 * 1024, prefix: options.net.tag });
  await writeFile(join(options.outDir, 'resources.json'), JSON.stringify({ pool: pool.name, poolScratch: pool.scratch.path, workDir }, null, 2));
  return pool;
}

export async function bringUp(options: WorldOptions, timeline: Timeline, onWorld: (world: ChaosWorld) => void): Promise<ChaosWorld> {
  const workDir = join(options.outDir, 'work');
  await mkdir(workDir, { recursive: true });
  // PostgreSQL runs as `postgres` and writes its logs and sockets here.
  await chmod(workDir, 0o777);
  const codeDir = await snapshotCode(workDir);
  const pool = await withPool(options, workDir);
  const partial = { pool, peers: [] as ChaosPeer[], zk: undefined as ChaosZk | undefined };
  // The sitters' PostgreSQL servers are not our children: if this process dies without teardown, kill them too.
  const forget = onEmergencyCleanup(() => {
    for (const peer of partial.peers) {
      const pid = postgresPid(peer);
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    }
  });
  try {
    partial.zk = await ChaosZk.start(workDir, options.net.zkNs, options.net.zkIp);
    timeline.add('setup', `ZooKeeper ensemble serving at ${partial.zk.connectString}`);
    const setup = { scratch: workDir, mountRoot: pool?.mountRoot ?? join(workDir, 'data'), pool: pool?.name ?? null, shardPath: '/dugong/chaos', zkConnect: partial.zk.connectString, sessionTimeoutMs: options.sessionTimeoutMs, rebuild: options.rebuild };
    partial.peers.push(...options.net.peerNs.map((ns, i) => preparePeer(setup, i, ns, options.net.peerIps[i] ?? '')));
    await startPeers(partial.peers, codeDir, workDir, timeline);
    const endpoints = partial.peers.map((p) => ({ name: p.name, host: p.ip, port: PG_PORT }));
    await ensureTable(endpoints[0] ?? { name: '', host: '', port: 0 });
    const world: ChaosWorld = {
      net: options.net, workDir, codeDir, pool, zk: partial.zk, peers: partial.peers, endpoints, shardPath: setup.shardPath,
      sessionTimeoutMs: options.sessionTimeoutMs, rebuild: options.rebuild, timeline, writer: new Writer(endpoints), sampler: new SplitBrainSampler(endpoints),
      watcher: new RoleWatcher(partial.peers, timeline), diverged: [], rebuilds: 0,
    };
    onWorld(world);
    return world;
  } catch (error) {
    await Promise.all(partial.peers.map((p) => stopPeer(p)));
    await partial.zk?.stop();
    await pool?.destroy().catch(() => undefined);
    forget();
    throw error;
  }
}

/** Stops every process this run started, by PID, then the pool; removes the code copy and ZooKeeper's data (logs stay). */
export async function tearDown(world: ChaosWorld): Promise<void> {
  await world.watcher.stop().catch(() => undefined);
  await world.writer.stop().catch(() => undefined);
  await world.sampler.stop().catch(() => undefined);
  await Promise.all(world.peers.map((p) => stopPeer(p)));
  await world.zk.stop();
  // zfs-fuse may still hold a dataset a moment after PostgreSQL died; destroyPool retries.
  await world.pool?.destroy();
  await rm(join(world.workDir, 'data'), { recursive: true, force: true });
  await rm(world.codeDir, { recursive: true, force: true });
  for (const id of [1, 2, 3]) await rm(join(world.workDir, `zk${id}`, 'data'), { recursive: true, force: true });
}
