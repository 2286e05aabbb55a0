// Real ZFS through real HTTP: full and incremental restores give identical content; no secret, no zfs; a client that leaves
// aborts the send; a stream far longer than the request timeout is not cut.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildBackupServer, getRemoteSend, restoreFailureOf, restoreFromBackupServer, type BackupEndpoint } from '../../src/backup/index.js';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/platform/clock.js';
import { createZfs, parseDatasetName, type DatasetName, type SnapshotName, type Zfs } from '../../src/zfs/index.js';
import { freePort } from '../helpers/ports.js';
import { createTestPool, ownZfsChildren, type TestPool } from '../helpers/zfs-pool.js';
import { directoryHashes, SECRET, waitUntil, writeRandomFile } from './backup-support.js';

let pool: TestPool;
let zfs: Zfs;
let server: FastifyInstance | undefined;
let backupUrl: string;
const zfsCalls: string[] = [];
const ds = (name: string): DatasetName => parseDatasetName(`${pool.name}/${name}`);
const mnt = (name: string): string => join(pool.mountRoot, name);
const log = silentLogger();

/** The server's Zfs, recording every call: "no zfs command" is checked on the calls, not guessed from processes. */
function recording(inner: Zfs): Zfs {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        zfsCalls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const endpoint = (): BackupEndpoint => ({ backupUrl, secret: SECRET, clock: systemClock, requestTimeoutMs: 10_000 });
const restore = (dataset: DatasetName, extra: { from?: SnapshotName; secret?: string } = {}) =>
  restoreFromBackupServer({ backupUrl, secret: SECRET, dataset, zfs, clock: systemClock, log, ...extra });

let first: SnapshotName;

beforeAll(async () => {
  pool = await createTestPool();
  zfs = createZfs();
  await zfs.createDataset(ds('src'), { mountpoint: mnt('src') });
  await writeFile(join(mnt('src'), 'hello.txt'), 'hello from the primary\n');
  await writeRandomFile(join(mnt('src'), 'random.bin'), 6 * 1024 * 1024);
  first = (await zfs.snapshot(ds('src'))).snapshot;
  const port = await freePort();
  server = buildBackupServer({ dataset: ds('src'), zfs: recording(zfs), secret: SECRET, logger: log, newJobId: randomUUID });
  await server.listen({ host: '127.0.0.1', port });
  backupUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server?.close();
  await pool?.destroy();
});

describe('restores through the backup server', () => {
  it('a full send into a second dataset gives identical content, unmounted until the caller mounts it', async () => {
    const result = await restore(ds('copy'));
    expect(result).toMatchObject({ snapshot: first, from: null });
    expect(result.bytesReceived).toBeGreaterThan(6 * 1024 * 1024);
    expect(await zfs.isMounted(ds('copy'))).toBe(false);
    await zfs.setProperty(ds('copy'), 'mountpoint', mnt('copy'));
    await zfs.mount(ds('copy'));
    expect(directoryHashes(mnt('copy'))).toEqual(directoryHashes(mnt('src')));
    // Progress is queryable by job id, and matches what the client counted.
    expect(await getRemoteSend(endpoint(), result.sendId)).toMatchObject({ state: 'done', bytesSent: result.bytesReceived, error: null });
  });

  it('an incremental from a shared snapshot brings the copy up to date', async () => {
    await writeFile(join(mnt('src'), 'hello.txt'), 'changed after the first snapshot\n');
    await writeRandomFile(join(mnt('src'), 'more.bin'), 1024 * 1024);
    const second = (await zfs.snapshot(ds('src'))).snapshot;
    // An incremental goes into an unmounted target; reading the mounted copy above updated atimes, which zfs counts
    // as a modification: refused as a `receive` failure (no retry helps), the copy left as it was.
    await zfs.unmount(ds('copy'));
    const refused = await restore(ds('copy'), { from: first }).then(() => undefined, (reason: unknown) => reason);
    expect(restoreFailureOf(refused)).toMatchObject({ kind: 'receive', retryable: false });
    expect((await zfs.listSnapshots(ds('copy'))).map((s) => s.snapshot)).toEqual([first]);
    // What a rebuild does (after keeping diverged data): roll back to the shared snapshot, then receive.
    await zfs.rollback({ dataset: ds('copy'), snapshot: first });
    const result = await restore(ds('copy'), { from: first });
    expect(result).toMatchObject({ snapshot: second, from: first });
    expect(result.bytesReceived).toBeLessThan(3 * 1024 * 1024);
    await zfs.mount(ds('copy'));
    expect(directoryHashes(mnt('copy'))).toEqual(directoryHashes(mnt('src')));
    expect((await zfs.listSnapshots(ds('copy'))).map((s) => s.snapshot)).toEqual([first, second]);
  });
});

describe('request timeouts and long streams', () => {
  it('a zfs stream read slowly, for many request timeouts, arrives whole: the timeout bounds receiving requests only', async () => {
    const limits = { headersTimeoutMs: 200, requestTimeoutMs: 300, keepAliveTimeoutMs: 10_000, maxConnections: 8 };
    const strict = buildBackupServer({ dataset: ds('src'), zfs, secret: SECRET, logger: log, newJobId: randomUUID, httpLimits: limits });
    const port = await freePort();
    await strict.listen({ host: '127.0.0.1', port });
    // The receiving side takes a pause per chunk, so the server's response is held back by backpressure throughout.
    const slowReceiver: Zfs = { ...zfs, receive: (dataset, source: Readable, options) => zfs.receive(dataset, source.pipe(throttle(15)), options) };
    try {
      const started = Date.now();
      const result = await restoreFromBackupServer({ backupUrl: `http://127.0.0.1:${port}`, secret: SECRET, dataset: ds('slow'), snapshot: first, zfs: slowReceiver, clock: systemClock, log });
      expect(Date.now() - started).toBeGreaterThan(5 * limits.requestTimeoutMs);
      expect(result.bytesReceived).toBeGreaterThan(6 * 1024 * 1024);
      await zfs.setProperty(ds('slow'), 'mountpoint', mnt('slow'));
      await zfs.mount(ds('slow'));
      // random.bin has not changed since the first snapshot; hello.txt has.
      expect(directoryHashes(mnt('slow'))['random.bin']).toBe(directoryHashes(mnt('src'))['random.bin']);
    } finally {
      await strict.close();
    }
  });
});

/** Passes every chunk on after `delayMs`. */
function throttle(delayMs: number): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      setTimeout(() => callback(null, chunk), delayMs);
    },
  });
}

describe('aborting a restore', () => {
  it('the caller aborts mid-stream: kind aborted, no half-received dataset, the server job aborted, no zfs left', async () => {
    const controller = new AbortController();
    let sendId: string | undefined;
    const error = await restoreFromBackupServer({
      backupUrl, secret: SECRET, dataset: ds('aborted'), zfs, clock: systemClock, log, signal: controller.signal, progressIntervalMs: 0,
      onProgress: (progress) => {
        sendId = progress.sendId;
        if (progress.bytesReceived > 0) controller.abort(new Error('operator cancelled the rebuild'));
      },
    }).then(() => undefined, (reason: unknown) => reason);
    expect(restoreFailureOf(error)).toMatchObject({ kind: 'aborted', retryable: false });
    expect(await zfs.exists(ds('aborted'))).toBe(false);
    await waitUntil('the server to see the client leave', async () => (await getRemoteSend(endpoint(), sendId ?? '')).state === 'aborted', 10_000);
    await waitUntil('no zfs process left', () => ownZfsChildren(pool.name).length === 0, 10_000);
  });
});

describe('refusals', () => {
  it('refuses requests without the secret or with a wrong one (401) and starts no zfs command', async () => {
    zfsCalls.length = 0;
    const bare = await fetch(`${backupUrl}/snapshots`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ code: 'DUGONG_ERR_UNAUTHORIZED' });
    const wrong = await fetch(`${backupUrl}/sends`, {
      method: 'POST', headers: { authorization: 'Bearer not-the-secret-0123456789', 'content-type': 'application/json' }, body: '{}',
    });
    expect(wrong.status).toBe(401);
    const error = await restore(ds('refused'), { secret: 'not-the-secret-0123456789' }).then(() => undefined, (reason: unknown) => reason);
    expect(restoreFailureOf(error)).toMatchObject({ kind: 'http', status: 401, serverCode: 'DUGONG_ERR_UNAUTHORIZED', retryable: false });
    expect(zfsCalls).toEqual([]);
    expect(ownZfsChildren(pool.name)).toEqual([]);
    expect(await zfs.exists(ds('refused'))).toBe(false);
  });

  it('refuses a hostile send request with 400 and starts no zfs command', async () => {
    zfsCalls.length = 0;
    const headers = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    for (const body of [{ snapshot: `${pool.name}/copy@${first}` }, { snapshot: '../copy' }, { from: '-R' }]) {
      const response = await fetch(`${backupUrl}/sends`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(response.status).toBe(400);
    }
    expect(zfsCalls).toEqual([]);
  });

  it('a client that disconnects mid-stream aborts the zfs send', async () => {
    const headers = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    const job = (await (await fetch(`${backupUrl}/sends`, { method: 'POST', headers, body: JSON.stringify({ snapshot: first }) })).json()) as { id: string };
    const controller = new AbortController();
    const response = await fetch(`${backupUrl}/sends/${job.id}/stream`, { headers, signal: controller.signal });
    const reader = response.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    expect(ownZfsChildren(pool.name)).toHaveLength(1);
    controller.abort();
    await waitUntil('the send job to be aborted', async () => (await getRemoteSend(endpoint(), job.id)).state === 'aborted', 10_000);
    await waitUntil('the zfs send to exit', () => ownZfsChildren(pool.name).length === 0, 10_000);
    expect((await getRemoteSend(endpoint(), job.id)).error).toMatch(/aborted/);
  });
});
