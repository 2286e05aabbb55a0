// A real dugong-snapshotter child against a stub status API: snapshots only while /ping is healthy, prunes to `keep`, leaves foreign snapshots.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZfs, parseDatasetName, type DatasetName, type Zfs } from '../../src/zfs/index.js';
import { freePort } from '../helpers/ports.js';
import { stopPid } from '../helpers/processes.js';
import { createTestPool, type TestPool } from '../helpers/zfs-pool.js';
import { startDaemon, waitUntil } from './backup-support.js';

const KEEP = 3;
const PERIOD_MS = 1_000;

let pool: TestPool;
let zfs: Zfs;
let dataset: DatasetName;
let status: FastifyInstance;
let healthy = false;
let pings = 0;
let snapshotter: ChildProcess | undefined;
const run = promisify(execFile);

async function ownNames(): Promise<string[]> {
  return (await zfs.listSnapshots(dataset)).map((info) => info.snapshot);
}

async function allSnapshotNames(): Promise<string[]> {
  const { stdout } = await run('zfs', ['list', '-H', '-t', 'snapshot', '-o', 'name', '-r', dataset]);
  return stdout.split('\n').filter((line) => line !== '').map((line) => line.slice(dataset.length + 1));
}

beforeAll(async () => {
  pool = await createTestPool();
  zfs = createZfs();
  dataset = parseDatasetName(`${pool.name}/db`);
  await zfs.createDataset(dataset, { mountpoint: join(pool.mountRoot, 'db') });
  // An operator's own snapshot: not Dugong's name, so never counted, pruned or served.
  await run('zfs', ['snapshot', `${dataset}@before-upgrade`]);
  status = Fastify();
  status.get('/ping', (_request, reply) => {
    pings += 1;
    return reply.code(healthy ? 200 : 503).send({ healthy, error: healthy ? null : 'stub says no', lastCheck: new Date().toISOString() });
  });
  const statusPort = await freePort();
  await status.listen({ host: '127.0.0.1', port: statusPort });
  const configPath = join(pool.scratch.path, 'snapshotter.json');
  await writeFile(configPath, JSON.stringify({ dataset, pingUrl: `http://127.0.0.1:${statusPort}/ping`, periodMs: PERIOD_MS, keep: KEEP, pingTimeoutMs: 1_000 }));
  snapshotter = startDaemon('snapshotter', configPath, join(pool.scratch.path, 'snapshotter.log'));
});

afterAll(async () => {
  if (snapshotter?.pid !== undefined) await stopPid(snapshotter.pid, 'SIGTERM', 5_000);
  await status?.close();
  await pool?.destroy();
});

describe('dugong-snapshotter', () => {
  it('takes no snapshot while /ping says unhealthy', async () => {
    await waitUntil('the snapshotter to ask for health', () => pings >= 2, 30_000);
    expect(await ownNames()).toEqual([]);
  });

  it('snapshots every period while healthy and keeps only the newest `keep`, leaving the foreign snapshot alone', async () => {
    const seen = new Set<string>();
    healthy = true;
    await waitUntil(`${KEEP + 2} snapshots to have been taken`, async () => {
      for (const name of await ownNames()) seen.add(name);
      return seen.size >= KEEP + 2;
    }, 20_000, 150);
    await waitUntil(`pruning down to ${KEEP}`, async () => (await ownNames()).length === KEEP, 5_000);
    const kept = await ownNames();
    // The newest ones are kept, in order, one period (or a little more) apart.
    expect(kept).toEqual([...seen].sort().slice(-KEEP));
    for (let i = 1; i < kept.length; i += 1) expect(Number(kept[i]) - Number(kept[i - 1])).toBeGreaterThanOrEqual(PERIOD_MS);
    expect(await allSnapshotNames()).toContain('before-upgrade');
  });

  it('stops snapshotting when /ping turns unhealthy again, and exits cleanly on SIGTERM', async () => {
    healthy = false;
    // A round already past its health check may still take one.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const before = await ownNames();
    const pingsBefore = pings;
    await waitUntil('two more health checks', () => pings >= pingsBefore + 2, 10_000);
    expect(await ownNames()).toEqual(before);
    expect(await allSnapshotNames()).toContain('before-upgrade');
    const child = snapshotter;
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    if (child?.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    expect(await exited).toBe(0);
    snapshotter = undefined;
  });
});
