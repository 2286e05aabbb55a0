// The restore client against a real loopback backup server with fake zfs on both ends: success and each failure kind.
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { restoreFromBackupServer, type RestoreOptions, type RestoreProgress } from '../../src/backup/restore-client.js';
import { restoreWithRetry } from '../../src/backup/restore-retry.js';
import { restoreFailureOf } from '../../src/backup/restore-errors.js';
import { buildBackupServer } from '../../src/backup/server.js';
import { isDugongError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/platform/clock.js';
import { parseDatasetName, parseSnapshotName } from '../../src/zfs/index.js';
import { freePort } from '../helpers/ports.js';
import { fakeZfs, type FakeZfs } from './backup-fake-zfs.js';

const SECRET = 'shard-secret-0123456789-abcdefghij';
const SOURCE = parseDatasetName('tank/dugong/peer1');
const TARGET = parseDatasetName('tank/dugong/peer2');
const A = parseSnapshotName('1763782800000');
const B = parseSnapshotName('1763782860000');

let servers: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function serveOn(port: number, source: FakeZfs): Promise<string> {
  const server = buildBackupServer({ dataset: SOURCE, zfs: source, secret: SECRET, logger: silentLogger(), newJobId: () => `job-${servers.length}-${Math.random().toString(36).slice(2)}` });
  servers.push(server);
  await server.listen({ host: '127.0.0.1', port });
  return `http://127.0.0.1:${port}`;
}

/** The receiving side's fake: receive drains the stream (failing as it fails) and then holds the snapshot. */
function receivingZfs(): FakeZfs & { received: Buffer[] } {
  const zfs = Object.assign(fakeZfs(TARGET), { received: [] as Buffer[] });
  zfs.snapshots.delete(TARGET);
  zfs.receive = async (dataset, source: Readable) => {
    zfs.calls.push(`receive ${dataset}`);
    for await (const chunk of source) zfs.received.push(chunk as Buffer);
    zfs.snapshots.set(dataset, [A, B]);
  };
  return zfs;
}

function options(backupUrl: string, zfs: FakeZfs, extra: Partial<RestoreOptions> = {}): RestoreOptions {
  return { backupUrl, secret: SECRET, dataset: TARGET, zfs, clock: systemClock, log: silentLogger(), ...extra };
}

async function failure(work: Promise<unknown>) {
  const error = await work.then(() => undefined, (reason: unknown) => reason);
  expect(isDugongError(error, 'DUGONG_ERR_RESTORE_FAILED'), String(error)).toBe(true);
  const details = restoreFailureOf(error);
  if (details === undefined) throw new Error(`not a restore failure: ${String(error)}`);
  return details;
}

describe('restoreFromBackupServer', () => {
  it('receives the newest snapshot (or the one named) and reports progress to the end', async () => {
    const source = fakeZfs(SOURCE, [A, B]);
    source.payload = Buffer.alloc(300_000, 7);
    const url = await serveOn(await freePort(), source);
    const zfs = receivingZfs();
    const progress: RestoreProgress[] = [];
    const result = await restoreFromBackupServer(options(url, zfs, { onProgress: (p) => progress.push(p), from: A }));
    expect(result).toMatchObject({ dataset: TARGET, snapshot: B, from: A, bytesReceived: 300_000, estimatedBytes: 300_000 });
    expect(Buffer.concat(zfs.received).equals(source.payload)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ bytesReceived: 300_000, finished: true, snapshot: B, from: A });
    expect(source.calls).toContain(`send ${SOURCE}@${B} from ${A}`);
  });

  it('fails with kind http (not retryable) on a wrong secret, with the server code, and receives nothing', async () => {
    const url = await serveOn(await freePort(), fakeZfs(SOURCE, [A]));
    const zfs = receivingZfs();
    const details = await failure(restoreFromBackupServer({ ...options(url, zfs), secret: 'wrong-secret-0123456789' }));
    expect(details).toMatchObject({ kind: 'http', status: 401, serverCode: 'DUGONG_ERR_UNAUTHORIZED', retryable: false });
    expect(zfs.calls).toEqual([]);
  });

  it('fails with kind unreachable (retryable) when nothing listens', async () => {
    const details = await failure(restoreFromBackupServer(options(`http://127.0.0.1:${await freePort()}`, receivingZfs())));
    expect(details).toMatchObject({ kind: 'unreachable', retryable: true });
  });

  it('fails with kind truncated (retryable) when the send breaks off mid-stream', async () => {
    const source = fakeZfs(SOURCE, [A]);
    source.endSends = false;
    const url = await serveOn(await freePort(), source);
    const zfs = receivingZfs();
    const restoring = restoreFromBackupServer(options(url, zfs));
    while (zfs.received.length === 0) await systemClock.sleep(10);
    source.sends[0]?.stream.destroy(new Error('zfs send died'));
    const details = await failure(restoring);
    expect(details).toMatchObject({ kind: 'truncated', retryable: true, bytesReceived: source.payload.length });
  });

  it('fails with kind stalled when no byte comes for stallTimeoutMs, and the server sees the client leave', async () => {
    const source = fakeZfs(SOURCE, [A]);
    source.endSends = false;
    const url = await serveOn(await freePort(), source);
    const details = await failure(restoreFromBackupServer(options(url, receivingZfs(), { stallTimeoutMs: 300 })));
    expect(details).toMatchObject({ kind: 'stalled', retryable: true });
    const deadline = Date.now() + 5_000;
    while (source.sends[0]?.aborted === undefined && Date.now() < deadline) await systemClock.sleep(20);
    expect(source.sends[0]?.aborted).toBeDefined();
  });

  it('fails with kind aborted (not retryable) when the caller aborts', async () => {
    const source = fakeZfs(SOURCE, [A]);
    source.endSends = false;
    const url = await serveOn(await freePort(), source);
    const zfs = receivingZfs();
    const controller = new AbortController();
    const restoring = restoreFromBackupServer(options(url, zfs, { signal: controller.signal }));
    while (zfs.received.length === 0) await systemClock.sleep(10);
    controller.abort(new Error('operator cancelled'));
    expect(await failure(restoring)).toMatchObject({ kind: 'aborted', retryable: false });
  });

  it('fails with kind receive (not retryable) when zfs recv refuses a complete stream', async () => {
    const url = await serveOn(await freePort(), fakeZfs(SOURCE, [A]));
    const zfs = receivingZfs();
    zfs.receive = async () => {
      throw new Error('destination has been modified since most recent snapshot');
    };
    expect(await failure(restoreFromBackupServer(options(url, zfs)))).toMatchObject({ kind: 'receive', retryable: false });
  });

  it('fails with kind http 404 for a snapshot the server does not have', async () => {
    const url = await serveOn(await freePort(), fakeZfs(SOURCE, [A]));
    const details = await failure(restoreFromBackupServer(options(url, receivingZfs(), { snapshot: B })));
    expect(details).toMatchObject({ kind: 'http', status: 404, serverCode: 'DUGONG_ERR_BACKUP_NOT_FOUND', retryable: false });
  });
});

describe('restoreWithRetry', () => {
  it('retries an unreachable server with backoff until it is back', async () => {
    const port = await freePort();
    const source = fakeZfs(SOURCE, [A]);
    const failures: number[] = [];
    const result = await restoreWithRetry({
      ...options(`http://127.0.0.1:${port}`, receivingZfs()),
      retry: { attempts: 4, initialDelayMs: 50, maxDelayMs: 200 },
      onAttemptFailed: (failed) => {
        failures.push(failed.attempt);
        if (failed.attempt === 2) void serveOn(port, source);
      },
    });
    expect(failures).toEqual([1, 2]);
    expect(result).toMatchObject({ attempts: 3, snapshot: A });
  });

  it('does not retry what a retry cannot fix, nor after the attempts are used up', async () => {
    const url = await serveOn(await freePort(), fakeZfs(SOURCE, [A]));
    let attempts = 0;
    await failure(restoreWithRetry({ ...options(url, receivingZfs(), { secret: 'wrong-secret-0123456789' }), retry: { attempts: 5, initialDelayMs: 10, maxDelayMs: 10 }, onAttemptFailed: () => (attempts += 1) }));
    expect(attempts).toBe(1);
    attempts = 0;
    const details = await failure(
      restoreWithRetry({ ...options(`http://127.0.0.1:${await freePort()}`, receivingZfs()), retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 10 }, onAttemptFailed: () => (attempts += 1) }),
    );
    expect(attempts).toBe(3);
    expect(details.kind).toBe('unreachable');
  });

  it('stops when a failed full restore left the dataset behind, instead of retrying over it', async () => {
    const source = fakeZfs(SOURCE, [A]);
    source.endSends = false;
    const url = await serveOn(await freePort(), source);
    const zfs = receivingZfs();
    zfs.receive = async (dataset, stream: Readable) => {
      zfs.snapshots.set(dataset, []);
      for await (const _chunk of stream) source.sends.at(-1)?.stream.destroy(new Error('cut'));
    };
    const details = await failure(restoreWithRetry({ ...options(url, zfs), retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 10 } }));
    expect(details).toMatchObject({ kind: 'receive', leftoverDataset: TARGET, retryable: false });
  });
});
