// File-backed ZFS pools for tests: unique names (pool names are global on the machine), destroyed in teardown with retries.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isAlive } from './processes.js';
import { makeScratchDir, uniqueName, type ScratchDir } from './scratch.js';

export interface TestPool {
  readonly name: string;
  /** A directory under the scratch dir for the test's mountpoints. */
  readonly mountRoot: string;
  readonly scratch: ScratchDir;
  /** Destroys the pool (retrying while it is busy) and removes the backing file; idempotent. */
  destroy(): Promise<void>;
}

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Set on every test pool's root dataset, so a later run can tell a crashed run's pool from a live one.
const OWNER_PROPERTY = 'dugong:test-owner';
const SCRATCH_PROPERTY = 'dugong:test-scratch';
// Pool name -> scratch directory holding its backing file.
const livePools = new Map<string, string>();
// The shared set-up library's zfs-fuse health steps (tools/lib/zfs-fuse.sh).
const ZFS_GUARD = new URL('../../tools/lib/zfs-guard', import.meta.url).pathname;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function run(command: string, args: readonly string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr: stderr === '' && error !== null ? error.message : stderr });
    });
  });
}

/** Fails with a clear message unless the zfs-fuse daemon (or a kernel ZFS) answers `zpool list`. */
export async function assertZfsRunning(): Promise<void> {
  const result = await run('zpool', ['list', '-H', '-o', 'name'], 10_000);
  if (result.code !== 0) {
    throw new Error(
      `ZFS is not available: \`zpool list\` failed (${result.code}): ${result.stderr.trim()}\n` +
        'These tests need the zfs-fuse daemon: start it as root with `zfs-fuse -p /tmp/zfs-fuse.pid` (tools/test does this).',
    );
  }
}

/** Every zfs-fuse mount answers, or the daemon is recovered by the set-up library (a wedged daemon fails every test). */
async function assertMountsAnswer(): Promise<void> {
  const result = await run(ZFS_GUARD, ['check'], 90_000);
  if (result.code !== 0) throw new Error(`zfs-fuse mounts do not answer and could not be recovered: ${result.stderr.trim()}`);
}

export async function listPools(): Promise<string[]> {
  const result = await run('zpool', ['list', '-H', '-o', 'name']);
  return result.code === 0 ? result.stdout.split('\n').filter((name) => name !== '') : [];
}

/** Creates `zpool create -m none <unique> <sparse file>` (zfs-fuse needs at least 64 MiB). */
export async function createTestPool(options: { sizeBytes?: number; prefix?: string } = {}): Promise<TestPool> {
  await assertZfsRunning();
  await assertMountsAnswer();
  await reapStaleTestPools();
  const scratch = await makeScratchDir('zpool');
  const name = uniqueName(options.prefix ?? 'dgt');
  const vdev = join(scratch.path, 'pool.img');
  const mountRoot = join(scratch.path, 'mnt');
  await writeFile(vdev, '');
  await truncate(vdev, options.sizeBytes ?? 512 * 1024 * 1024);
  await mkdir(mountRoot, { mode: 0o777 });
  const owner = ['-O', `${OWNER_PROPERTY}=${process.pid}`, '-O', `${SCRATCH_PROPERTY}=${scratch.path}`];
  const created = await run('zpool', ['create', '-m', 'none', ...owner, name, vdev]);
  if (created.code !== 0) {
    await scratch.remove();
    throw new Error(`zpool create ${name} failed: ${created.stderr.trim()}`);
  }
  livePools.set(name, scratch.path);
  let destroyed = false;
  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    await destroyPool(name);
    destroyed = true;
    await scratch.remove();
  };
  return { name, mountRoot, scratch, destroy };
}

/**
 * Destroys test pools whose creating process is gone: a worker killed by a signal (vitest sends SIGTERM, then
 * SIGKILL after 500 ms) runs no exit hook. Pools without our owner property, or with a live owner, are not touched.
 */
export async function reapStaleTestPools(): Promise<string[]> {
  const result = await run('zfs', ['get', '-H', '-s', 'local', '-o', 'name,property,value', `${OWNER_PROPERTY},${SCRATCH_PROPERTY}`]);
  if (result.code !== 0) return [];
  const byPool = new Map<string, Map<string, string>>();
  for (const [name, property, value] of result.stdout.split('\n').map((line) => line.split('\t'))) {
    if (name === undefined || name.includes('/') || property === undefined || value === undefined) continue;
    byPool.set(name, (byPool.get(name) ?? new Map<string, string>()).set(property, value));
  }
  const reaped: string[] = [];
  for (const [name, properties] of byPool) {
    const owner = Number(properties.get(OWNER_PROPERTY));
    if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid || isAlive(owner)) continue;
    await destroyPool(name, 10_000);
    const scratchPath = properties.get(SCRATCH_PROPERTY) ?? '';
    // Only ever a directory makeScratchDir('zpool') made.
    if (scratchPath.startsWith(join(tmpdir(), 'dugong-zpool-'))) await rm(scratchPath, { recursive: true, force: true });
    reaped.push(name);
  }
  return reaped;
}

function parentPid(pid: string): number | undefined {
  // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses, so split after the last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  return ppid === undefined ? undefined : Number(ppid);
}

/**
 * PIDs of zfs/zpool commands that this process started and that name the pool: a send or receive a failing test
 * left behind keeps the pool busy. Only our own children, found by parent PID, never by name alone.
 */
export function ownZfsChildren(poolName: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parentPid(entry) !== process.pid) continue;
      // zfs-fuse's CLI rewrites its argv in place (`pool/ds@snap` reads as `pool/ds`), still naming the pool.
      const [command, ...args] = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const isZfs = command !== undefined && ['zfs', 'zpool'].includes(basename(command));
      if (isZfs && args.some((arg) => arg === poolName || arg.startsWith(`${poolName}/`))) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

function killOwnZfsChildren(poolName: string): void {
  for (const pid of ownZfsChildren(poolName)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/**
 * `zpool destroy -f`, retried while the pool is busy (right after PostgreSQL stopped, zfs-fuse needs a moment);
 * then `zpool export -f` as a last resort. Throws if the pool is still there.
 */
export async function destroyPool(name: string, deadlineMs = 30_000): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < giveUpAt) {
    const result = await run('zpool', ['destroy', '-f', name], 10_000);
    if (result.code === 0 || !(await listPools()).includes(name)) {
      livePools.delete(name);
      return;
    }
    last = result.stderr.trim();
    // Killing the child makes src/zfs close its end of the pipe, which is what releases the zfs-fuse daemon.
    killOwnZfsChildren(name);
    await sleep(500);
  }
  // Teardown must end whatever the storage does: a mount that no longer answers is cut off (the same step as set-up's).
  await run(ZFS_GUARD, ['abort', name], 20_000);
  const exported = await run('zpool', ['export', '-f', name], 10_000);
  if (exported.code === 0 || !(await listPools()).includes(name)) {
    livePools.delete(name);
    return;
  }
  throw new Error(`could not destroy test pool ${name}: ${last}; export: ${exported.stderr.trim()}`);
}

/** Pools created by this process and not destroyed yet. */
export function livePoolNames(): readonly string[] {
  return [...livePools.keys()];
}

// A worker that exits without teardown (uncaught error, process.exit) must not leave a global pool behind.
process.once('exit', () => {
  for (const [name, scratchPath] of livePools) {
    killOwnZfsChildren(name);
    const result = spawnSync('zpool', ['destroy', '-f', name], { stdio: 'ignore', timeout: 10_000 });
    if (result.status === 0) rmSync(scratchPath, { recursive: true, force: true });
  }
});
