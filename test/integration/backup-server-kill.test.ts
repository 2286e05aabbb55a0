// The backup server (a real dugong-backupserver child) SIGKILLed mid-stream: the restore fails cleanly, a retry succeeds.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { restoreFailureOf, restoreFromBackupServer, restoreWithRetry, type RestoreProgress } from '../../src/backup/index.js';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/platform/clock.js';
import { createZfs, parseDatasetName, type DatasetName, type SnapshotName, type Zfs } from '../../src/zfs/index.js';
import { freePort } from '../helpers/ports.js';
import { stopPid } from '../helpers/processes.js';
import { createTestPool, ownZfsChildren, type TestPool } from '../helpers/zfs-pool.js';
import { answers, directoryHashes, SECRET, startDaemon, waitUntil, writeRandomFile, zfsProcessesNaming } from './backup-support.js';

// Big enough that socket buffers (a few MB on loopback) cannot hold the rest when the server dies.
const DATA_BYTES = 48 * 1024 * 1024;
const KILL_AFTER_BYTES = 4 * 1024 * 1024;

let pool: TestPool;
let zfs: Zfs;
let configPath: string;
let logPath: string;
let backupUrl: string;
let snapshot: SnapshotName;
let server: ChildProcess | undefined;
const ds = (name: string): DatasetName => parseDatasetName(`${pool.name}/${name}`);
const mnt = (name: string): string => join(pool.mountRoot, name);

async function startServer(): Promise<ChildProcess> {
  const child = startDaemon('backupserver', configPath, logPath);
  server = child;
  await waitUntil('the backup server to answer /ping', () => answers(`${backupUrl}/ping`), 30_000);
  return child;
}

/** SIGKILL: no shutdown hook runs, exactly like a crash. */
function killServer(child: ChildProcess): void {
  if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
}

beforeAll(async () => {
  pool = await createTestPool({ sizeBytes: 512 * 1024 * 1024 });
  zfs = createZfs();
  await zfs.createDataset(ds('src'), { mountpoint: mnt('src') });
  await writeRandomFile(join(mnt('src'), 'big.bin'), DATA_BYTES);
  await writeFile(join(mnt('src'), 'small.txt'), 'small\n');
  snapshot = (await zfs.snapshot(ds('src'))).snapshot;
  const secretFile = join(pool.scratch.path, 'backup.secret');
  await writeFile(secretFile, `${SECRET}\n`, { mode: 0o600 });
  const port = await freePort();
  backupUrl = `http://127.0.0.1:${port}`;
  configPath = join(pool.scratch.path, 'backupserver.json');
  logPath = join(pool.scratch.path, 'backupserver.log');
  await writeFile(configPath, JSON.stringify({ dataset: ds('src'), host: '127.0.0.1', port, secretFile, logLevel: 'debug' }));
});

afterEach(async () => {
  if (server?.pid !== undefined) await stopPid(server.pid, 'SIGTERM', 5_000);
  server = undefined;
});

afterAll(async () => {
  // A zfs send the killed server left behind would keep the pool busy; none is expected (checked in the tests).
  for (const pid of zfsProcessesNaming(pool.name)) await stopPid(pid, 'SIGKILL', 1_000);
  await pool?.destroy();
});

describe('backup server killed mid-stream', () => {
  it('the restore fails as truncated (retryable), with no half-received dataset and no zfs process left', async () => {
    const child = await startServer();
    let killedAt: number | undefined;
    const onProgress = (progress: RestoreProgress): void => {
      if (killedAt === undefined && progress.bytesReceived >= KILL_AFTER_BYTES) {
        killedAt = progress.bytesReceived;
        killServer(child);
      }
    };
    const started = restoreFromBackupServer({ backupUrl, secret: SECRET, dataset: ds('copy'), zfs, clock: systemClock, log: silentLogger(), onProgress, progressIntervalMs: 0 });
    const error = await started.then(() => undefined, (reason: unknown) => reason);
    expect(killedAt).toBeDefined();
    const failure = restoreFailureOf(error);
    expect(failure, String(error)).toMatchObject({ kind: 'truncated', retryable: true });
    expect(failure?.bytesReceived).toBeLessThan(DATA_BYTES / 2);
    expect(await zfs.exists(ds('copy'))).toBe(false);
    expect(ownZfsChildren(pool.name)).toEqual([]);
    // The killed server's zfs send (its orphan now) gives up on the broken pipe by itself.
    await waitUntil('the orphaned zfs send to exit', () => zfsProcessesNaming(pool.name).length === 0, 10_000);
  });

  it('a retry against the restarted server succeeds with identical content', async () => {
    const child = await startServer();
    let restarted: Promise<ChildProcess> | undefined;
    const attempts: number[] = [];
    const result = await restoreWithRetry({
      backupUrl, secret: SECRET, dataset: ds('copy'), zfs, clock: systemClock, log: silentLogger(), progressIntervalMs: 0,
      retry: { attempts: 6, initialDelayMs: 300, maxDelayMs: 2_000 },
      onProgress: (progress) => {
        if (progress.attempt === 1 && restarted === undefined && progress.bytesReceived >= KILL_AFTER_BYTES) {
          killServer(child);
          restarted = startServer();
        }
      },
      onAttemptFailed: (failure) => attempts.push(failure.attempt),
    });
    await restarted;
    expect(attempts[0]).toBe(1);
    expect(result).toMatchObject({ snapshot, from: null });
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    await zfs.setProperty(ds('copy'), 'mountpoint', mnt('copy'));
    await zfs.mount(ds('copy'));
    expect(directoryHashes(mnt('copy'))).toEqual(directoryHashes(mnt('src')));
  });
});
