// Hand-run bootstrap benchmark: full restore through the backup server vs local zfs send|recv vs pg_basebackup, and incremental vs full rebuild.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { restoreFromBackupServer } from '../src/backup/index.js';
import { createLogger, silentLogger } from '../src/log.js';
import { createPostgresController, runAsForServer, type PostgresController, type RunAs, type SpawnFn } from '../src/pg/index.js';
import { systemClock } from '../src/platform/clock.js';
import type { Peer } from '../src/schema/index.js';
import { RestoreStatus } from '../src/runtime/restore-status.js';
import { ZfsCopier } from '../src/runtime/zfs-copier.js';
import { createZfs, parseDatasetName, type DatasetName, type SnapshotName, type Zfs } from '../src/zfs/index.js';
import { freePort } from '../test/helpers/ports.js';
import { spawnTracked, stopAllTracked } from '../test/helpers/processes.js';
import { createTestPool, type TestPool } from '../test/helpers/zfs-pool.js';
import { median } from './stats.js';
import { answers, startDaemon, waitUntil } from '../test/integration/backup-support.js';

const SECRET = 'bench-bootstrap-secret-0123456789';
const MIB = 1024 * 1024;
// --log <file> swaps in a debug logger (every zfs command with its duration) before anything runs.
let log = silentLogger();
const trackedSpawn: SpawnFn = (command, args, options) => spawnTracked('postgres', command, args, { ...options, detached: false });

interface Options {
  readonly scale: number;
  readonly runs: number;
  readonly changePercent: number;
  readonly poolGib: number;
  readonly cache: CacheMode;
}

/** warm: every copy reads the snapshot from memory; cold: from disk (page cache dropped; zfs-fuse's ARC is only 100 MiB). */
type CacheMode = 'warm' | 'cold';

interface Source {
  readonly pool: TestPool;
  readonly zfs: Zfs;
  readonly dataset: DatasetName;
  readonly controller: PostgresController;
  readonly port: number;
  readonly runAs: RunAs | undefined;
  readonly peer: Peer;
}

interface Timed {
  readonly label: string;
  readonly seconds: number;
  readonly bytes: number;
}

function positive(raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('must be a positive number');
  return value;
}

async function timed(label: string, bytes: () => Promise<number> | number, work: () => Promise<unknown>): Promise<Timed> {
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const result = { label, seconds, bytes: await bytes() };
  console.log(`${label}: ${seconds.toFixed(1)} s, ${(result.bytes / MIB).toFixed(0)} MiB, ${(result.bytes / MIB / seconds).toFixed(1)} MiB/s`);
  return result;
}

function psql(port: number, sql: string): string {
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-At', '-c', sql], { encoding: 'utf8' }).trim();
}

async function makeDataset(pool: TestPool, zfs: Zfs, name: string, runAs: RunAs | undefined): Promise<{ dataset: DatasetName; mountpoint: string }> {
  const dataset = parseDatasetName(`${pool.name}/${name}`);
  const mountpoint = join(pool.mountRoot, name);
  await zfs.createDataset(dataset, { mountpoint });
  if (runAs !== undefined) execFileSync('chown', [`${runAs.uid}:${runAs.gid}`, mountpoint]);
  return { dataset, mountpoint };
}

async function startSource(options: Options): Promise<Source> {
  const pool = await createTestPool({ sizeBytes: options.poolGib * 1024 * MIB, prefix: 'dgb' });
  const zfs = createZfs({ clock: systemClock, log, commandTimeoutMs: 3_600_000 });
  const runAs = await runAsForServer('postgres');
  const { dataset, mountpoint } = await makeDataset(pool, zfs, 'src', runAs);
  const port = await freePort();
  const controller = createPostgresController({
    dataDir: join(mountpoint, 'data'), port, socketDir: pool.scratch.path, logFile: join(pool.scratch.path, 'src.log'),
    runAs, clock: systemClock, log, spawn: trackedSpawn,
  });
  await controller.initdb();
  // A lone writable primary: the benchmark measures copies, not replication.
  await controller.writeRoleSettings({ writable: true, syncStandbyName: null, upstream: null });
  await controller.start({ timeoutMs: 120_000 });
  const peer: Peer = { id: `127.0.0.1:${port}:0`, ip: '127.0.0.1', zoneId: 'src', pgUrl: `tcp://postgres@127.0.0.1:${port}/postgres`, backupUrl: '' };
  return { pool, zfs, dataset, controller, port, runAs, peer };
}

/** The production shape: `dugong-backupserver` in its own process, so its Node.js event loop is not the client's. */
async function startBackupServer(source: Source): Promise<string> {
  const scratch = source.pool.scratch.path;
  const secretFile = join(scratch, 'backup.secret');
  writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  const port = await freePort();
  const configFile = join(scratch, 'backupserver.json');
  writeFileSync(configFile, JSON.stringify({ dataset: source.dataset, host: '127.0.0.1', port, secretFile, logLevel: 'warn' }));
  // Stopped with the other tracked processes at the end.
  startDaemon('backupserver', configFile, join(scratch, 'backupserver.log'));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(`the backup server on ${url}`, () => answers(`${url}/ping`), 30_000);
  return url;
}

/** Gives every copy the same start: the snapshot read once into memory (warm), or no file data cached at all (cold). */
function prepareCache(mode: CacheMode, dataset: DatasetName, snapshot: SnapshotName): void {
  if (mode === 'warm') execFileSync('bash', ['-c', `zfs send ${dataset}@${snapshot} > /dev/null`]);
  else execFileSync('bash', ['-c', 'sync && echo 3 > /proc/sys/vm/drop_caches']);
}


async function referencedBytes(zfs: Zfs, dataset: DatasetName): Promise<number> {
  return Number(await zfs.getProperty(dataset, 'referenced'));
}

async function fullTransfers(source: Source, snapshot: SnapshotName, backupUrl: string, run: number, cache: CacheMode): Promise<Timed[]> {
  const { zfs, pool } = source;
  const size = await referencedBytes(zfs, source.dataset);
  prepareCache(cache, source.dataset, snapshot);
  const local = await timed('local zfs send | zfs recv', () => size, async () => {
    execFileSync('bash', ['-c', `zfs send ${source.dataset}@${snapshot} | zfs recv -u ${pool.name}/local`]);
  });
  await zfs.destroy(parseDatasetName(`${pool.name}/local`), { recursive: true });
  prepareCache(cache, source.dataset, snapshot);
  const restore = await timed('dugong restore (backup server, HTTP, zfs recv)', () => size, () =>
    restoreFromBackupServer({ backupUrl, secret: SECRET, dataset: parseDatasetName(`${pool.name}/deposed-${run}`), snapshot, zfs, clock: systemClock, log }));
  const target = await makeDataset(pool, zfs, `basebackup-${run}`, source.runAs);
  const bbController = createPostgresController({
    dataDir: join(target.mountpoint, 'data'), port: 1, socketDir: pool.scratch.path, logFile: join(pool.scratch.path, 'bb.log'), runAs: source.runAs, clock: systemClock, log,
  });
  prepareCache(cache, source.dataset, snapshot);
  const basebackup = await timed('pg_basebackup (stream WAL, fast checkpoint)', () => size, () =>
    bbController.basebackupFrom({ host: '127.0.0.1', port: source.port, user: 'postgres', database: 'postgres' }, { timeoutMs: 3_600_000 }));
  // Kept until the pool goes: zfs-fuse calls it busy for a while after pg_basebackup's writes.
  await zfs.unmount(target.dataset, { force: true });
  return [local, restore, basebackup];
}

function copierFor(source: Source, name: string): { copier: ZfsCopier; status: RestoreStatus } {
  const mountpoint = join(source.pool.mountRoot, name);
  mkdirSync(mountpoint, { recursive: true });
  const controller = createPostgresController({
    dataDir: join(mountpoint, 'data'), port: 1, socketDir: source.pool.scratch.path, logFile: join(source.pool.scratch.path, `${name}.log`), runAs: source.runAs, clock: systemClock, log,
  });
  const status = new RestoreStatus(systemClock);
  const copier = new ZfsCopier({
    zfs: source.zfs, dataset: `${source.pool.name}/${name}`, mountpoint, controller, runAs: source.runAs, secret: SECRET,
    replicationUser: 'postgres', retry: { attempts: 1, initialDelayMs: 1_000, maxDelayMs: 1_000 }, status, clock: systemClock, log,
  });
  return { copier, status };
}

/** The deposed copy holds the first snapshot; the source changes `changePercent` of its rows; rebuild incrementally, then in full. */
async function rebuilds(source: Source, options: Options, backupUrl: string, run: number, common: SnapshotName): Promise<{ incremental: Timed; full: Timed }> {
  const { zfs, pool } = source;
  const deposed = parseDatasetName(`${pool.name}/deposed-${run}`);
  await zfs.setProperty(deposed, 'mountpoint', join(pool.mountRoot, `deposed-${run}`));
  writeFileSync(join(pool.mountRoot, `deposed-${run}`, 'diverged.bin'), Buffer.alloc(8 * MIB, 7));
  const rows = options.scale * 100_000;
  const changed = Math.round((rows * options.changePercent) / 100);
  psql(source.port, `UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid <= ${changed}`);
  psql(source.port, 'CHECKPOINT');
  const peer = { ...source.peer, backupUrl };
  const deposedCopy = copierFor(source, `deposed-${run}`);
  prepareCache(options.cache, source.dataset, common);
  const incremental = await timed(`incremental rebuild (${options.changePercent} % of rows changed; bytes = stream size)`, () => deposedCopy.status.view().bytesReceived, async () => {
    await deposedCopy.copier.rebuild(peer);
    if (deposedCopy.status.view().method !== 'zfs-incremental') throw new Error(`the rebuild was not incremental: ${JSON.stringify(deposedCopy.status.view())}`);
  });
  console.log(`  steps: ${stepsOf(deposedCopy.status)}`);
  await localIncremental(source, run, common, options.cache);
  const freshCopy = copierFor(source, `fresh-${run}`);
  prepareCache(options.cache, source.dataset, common);
  const full = await timed('full rebuild (no shared snapshot; bytes = stream size)', () => freshCopy.status.view().bytesReceived, () => freshCopy.copier.rebuild(peer));
  console.log(`  steps: ${stepsOf(freshCopy.status)}`);
  await dropRunDatasets(source, run, deposedCopy.status.view().keptAs);
  return { incremental, full };
}

/**
 * The floor for the incremental part: the same incremental stream (shared snapshot to the source's newest, the one
 * the rebuild received) through a local pipe into a promoted clone of the rebuilt copy's shared snapshot.
 */
async function localIncremental(source: Source, run: number, common: SnapshotName, cache: CacheMode): Promise<Timed> {
  const { zfs, pool } = source;
  const newest = (await zfs.listSnapshots(source.dataset)).at(-1)?.snapshot;
  if (newest === undefined) throw new Error('the source has no snapshot');
  const reference = parseDatasetName(`${pool.name}/ref-${run}`);
  await zfs.cloneAndPromote({ dataset: parseDatasetName(`${pool.name}/deposed-${run}`), snapshot: common }, reference);
  const bytes = Number(execFileSync('bash', ['-c', `zfs send -i ${source.dataset}@${common} ${source.dataset}@${newest} | wc -c`], { encoding: 'utf8' }).trim());
  prepareCache(cache, source.dataset, common);
  return timed('  local zfs send -i | zfs recv -F of the same increment (floor)', () => bytes, async () => {
    execFileSync('bash', ['-c', `zfs send -i ${source.dataset}@${common} ${source.dataset}@${newest} | zfs recv -u -F ${reference}`]);
  });
}

/** Frees the pool for the next run: the isolated clone first, then what it was cloned from. */
async function dropRunDatasets(source: Source, run: number, isolated: string | null): Promise<void> {
  const names = [isolated, `${source.pool.name}/deposed-${run}`, `${source.pool.name}/ref-${run}`, `${source.pool.name}/fresh-${run}`].filter((name): name is string => name !== null);
  for (const name of names) {
    await source.zfs.unmount(parseDatasetName(name), { force: true }).catch(() => undefined);
    await source.zfs.destroy(parseDatasetName(name), { recursive: true }).catch((error: unknown) => console.log(`  (kept ${name}: ${String(error)})`));
  }
}

function stepsOf(status: RestoreStatus): string {
  return status.view().steps.map((step) => `${step.name} ${step.durationMs} ms`).join(', ');
}

interface RunResult {
  readonly local: number;
  readonly restore: number;
  readonly basebackup: number;
  readonly incremental: Timed;
  readonly full: Timed;
}

/** Ratios of time per run (throughput ratios on the same bytes), then their medians. */
function summarize(results: readonly RunResult[]): void {
  const ratios = results.map((result) => ({
    restoreVsLocal: result.local / result.restore,
    restoreVsBasebackup: result.basebackup / result.restore,
    fullVsIncremental: result.full.seconds / result.incremental.seconds,
    streamShare: result.incremental.bytes / result.full.bytes,
  }));
  ratios.forEach((ratio, index) => {
    console.log(`run ${index + 1}: restore/local ${ratio.restoreVsLocal.toFixed(2)}, restore/pg_basebackup ${ratio.restoreVsBasebackup.toFixed(2)}, ` +
      `full/incremental rebuild ${ratio.fullVsIncremental.toFixed(1)} (incremental stream ${(ratio.streamShare * 100).toFixed(1)} % of full)`);
  });
  console.log(`median restore / local zfs: ${median(ratios.map((r) => r.restoreVsLocal)).toFixed(2)} (target ≥ 0.8)`);
  console.log(`median restore / pg_basebackup: ${median(ratios.map((r) => r.restoreVsBasebackup)).toFixed(2)} (target ≥ 1)`);
  console.log(`median full / incremental rebuild: ${median(ratios.map((r) => r.fullVsIncremental)).toFixed(1)} (target ≥ 10)`);
}

function machine(): string {
  const zfsFuse = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'zfs-fuse'], { encoding: 'utf8' });
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Linux ${release()}, zfs-fuse ${zfsFuse}, PostgreSQL 15, Node ${process.version}`;
}

async function main(): Promise<void> {
  const program = new Command('bench/bootstrap')
    .option('--scale <n>', 'pgbench scale of the source database (70 ≈ 1 GiB)', positive, 70)
    .option('--change-percent <p>', 'share of pgbench_accounts rows changed before the rebuild', positive, 2)
    // Peak use: the source, three full copies in a run, and one pg_basebackup copy kept per run (zfs-fuse calls it busy).
    .option('--pool-gib <n>', 'size of the sparse file-backed pool (only what is written takes disk space)', positive, 32)
    .option('--runs <n>', 'full copies and rebuilds, each on a fresh snapshot', positive, 1)
    .addOption(new Option('--cache <mode>', 'warm: each copy reads the snapshot from memory; cold: from disk (drops the page cache, root only)').choices(['warm', 'cold']).default('warm'))
    .option('--log <file>', 'write a debug log (zfs commands with durations, copier steps) to this file')
    .parse();
  const options = program.opts<Options & { log?: string }>();
  if (options.log !== undefined) log = createLogger({ level: 'debug', name: 'bench', destination: createWriteStream(options.log) });
  const source = await startSource(options);
  const backupUrl = await startBackupServer(source);
  try {
    execFileSync('pgbench', ['-i', '-q', '-s', String(options.scale), '-h', '127.0.0.1', '-p', String(source.port), '-U', 'postgres', 'postgres'], { stdio: ['ignore', 'ignore', 'inherit'] });
    psql(source.port, 'CHECKPOINT');
    console.log(`machine: ${machine()}; cache ${options.cache}`);
    console.log(`database: ${(Number(psql(source.port, "SELECT pg_database_size('postgres')")) / MIB).toFixed(0)} MiB, dataset referenced ${((await referencedBytes(source.zfs, source.dataset)) / MIB).toFixed(0)} MiB`);
    const results: RunResult[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      console.log(`run ${run} of ${options.runs}`);
      const snapshot = (await source.zfs.snapshot(source.dataset)).snapshot;
      const [local, restore, basebackup] = await fullTransfers(source, snapshot, backupUrl, run, options.cache);
      const { incremental, full } = await rebuilds(source, options, backupUrl, run, snapshot);
      results.push({ local: local?.seconds ?? NaN, restore: restore?.seconds ?? NaN, basebackup: basebackup?.seconds ?? NaN, incremental, full });
    }
    summarize(results);
  } finally {
    await source.controller.stop('immediate').catch(() => undefined);
    await stopAllTracked();
    await source.pool.destroy();
  }
}

await main();
