// Removes everything a chaos run created (processes in its namespaces, its pool, the namespaces and their veths), also after a crash.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deleteNamespace, describeNet, listNamespaces, namespacePids, type ChaosNet } from './netns.js';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** One file per live run: which supervisor owns which tag, so a later run can clean up after a killed one. */
export const REGISTRY_DIR = '/tmp/dugong-chaos-registry';

export interface CleanupResult {
  readonly killedPids: number;
  readonly poolDestroyed: string | null;
  readonly leftoverNamespaces: readonly string[];
  readonly leftoverPids: readonly number[];
  readonly leftoverPool: string | null;
}

/** Every process inside our namespaces is ours (the sitters' PostgreSQL included): SIGKILL by PID until none is left. */
async function killNamespaceProcesses(net: ChaosNet): Promise<{ killed: number; left: number[] }> {
  let killed = 0;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pids = (await Promise.all(net.namespaces.map((ns) => namespacePids(ns)))).flat().filter((pid) => pid !== process.pid);
    if (pids.length === 0 || Date.now() > deadline) return { killed, left: pids };
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGKILL');
        killed += 1;
      } catch {
        /* gone meanwhile */
      }
    }
    await sleep(300);
  }
}

async function poolExists(name: string): Promise<boolean> {
  return run('zpool', ['list', '-H', '-o', 'name', name], { timeout: 10_000 }).then(() => true, () => false);
}

// The shared set-up library's zfs-fuse health steps (tools/lib/zfs-fuse.sh).
const ZFS_GUARD = new URL('../../tools/lib/zfs-guard', import.meta.url).pathname;

/** Destroys the pool within about 45 s whatever the storage does: a hung destroy is cut off and the pool exported. */
async function destroyPool(name: string): Promise<boolean> {
  const deadline = Date.now() + 25_000;
  while (await poolExists(name)) {
    if (Date.now() > deadline) break;
    await run('zpool', ['destroy', '-f', name], { timeout: 10_000 }).catch(() => undefined);
    if (await poolExists(name)) await sleep(1_000);
  }
  if (!(await poolExists(name))) return true;
  await run(ZFS_GUARD, ['abort', name], { timeout: 20_000 }).catch(() => undefined);
  await run('zpool', ['export', '-f', name], { timeout: 10_000 }).catch(() => undefined);
  return !(await poolExists(name));
}

interface Resources {
  readonly pool?: string;
  readonly poolScratch?: string;
  readonly workDir?: string;
}

function readResources(outDir: string): Resources {
  const path = join(outDir, 'resources.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Resources) : {};
}

export async function cleanUp(net: ChaosNet, outDir: string): Promise<CleanupResult> {
  const { killed, left } = await killNamespaceProcesses(net);
  const { pool, poolScratch, workDir } = readResources(outDir);
  // Directory storage keeps PostgreSQL's data under the work dir; the logs beside it stay.
  if (workDir !== undefined) await rm(join(workDir, 'data'), { recursive: true, force: true });
  let poolDestroyed: string | null = null;
  if (pool !== undefined && (await destroyPool(pool))) {
    poolDestroyed = pool;
    // Only the directory the run's pool helper made for the backing file.
    if (poolScratch?.includes('dugong-zpool-') === true) await rm(poolScratch, { recursive: true, force: true });
  }
  for (const ns of net.namespaces) await deleteNamespace(ns);
  const leftoverNamespaces = (await listNamespaces()).filter((ns) => ns.startsWith(`${net.tag}-`));
  const leftoverPool = pool !== undefined && (await poolExists(pool)) ? pool : null;
  return { killedPids: killed, poolDestroyed, leftoverNamespaces, leftoverPids: left, leftoverPool };
}

export async function register(tag: string, outDir: string): Promise<void> {
  await mkdir(REGISTRY_DIR, { recursive: true });
  await writeFile(join(REGISTRY_DIR, `${tag}.json`), JSON.stringify({ supervisorPid: process.pid, outDir }));
}

export async function unregister(tag: string): Promise<void> {
  await rm(join(REGISTRY_DIR, `${tag}.json`), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Cleans up after runs whose supervisor died without doing it (SIGKILL, power cut); returns their tags. */
export async function reapStaleRuns(peers: number): Promise<string[]> {
  const files = await readdir(REGISTRY_DIR).catch(() => [] as string[]);
  const reaped: string[] = [];
  for (const file of files.filter((f) => f.endsWith('.json'))) {
    const entry = JSON.parse(await readFile(join(REGISTRY_DIR, file), 'utf8')) as { supervisorPid: number; outDir: string };
    if (alive(entry.supervisorPid)) continue;
    const tag = file.replace(/\.json$/, '');
    await cleanUp(describeNet(tag, peers), entry.outDir);
    await unregister(tag);
    reaped.push(tag);
  }
  return reaped;
}
