// Both HTTP servers on 127.0.0.1 against slow and idle clients: slow headers or bodies get 408 and are closed within the
// timeout, idle kept-alive connections are closed, connections over the cap are closed at once, and a stream longer
// than the request timeout is delivered whole.
import { connect } from 'node:net';
import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildBackupServer } from '../../src/backup/server.js';
import { buildStatusServer } from '../../src/http/status-server.js';
import { silentLogger } from '../../src/log.js';
import { fastifyLimitOptions } from '../../src/platform/http-limits.js';
import type { HttpLimits } from '../../src/schema/http-limits.js';
import { parseDatasetName } from '../../src/zfs/index.js';
import { freePort } from '../helpers/ports.js';
import { fakeZfs, type FakeZfs } from './backup-fake-zfs.js';

const LIMITS: HttpLimits = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, maxConnections: 4 };
/** Node sweeps for expired requests every quarter headers timeout; a loaded test machine adds its own delay. */
const SLACK_MS = (fastifyLimitOptions(LIMITS).http.connectionsCheckingInterval ?? 0) + 900;
const SECRET = 'shard-secret-0123456789-abcdefghij';
const DATASET = parseDatasetName('tank/dugong/peer1');

let app: FastifyInstance | undefined;
const sockets: Array<{ destroy: () => void }> = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await app?.close();
  app = undefined;
});


async function listen(server: FastifyInstance): Promise<number> {
  app = server;
  const port = await freePort();
  await server.listen({ host: '127.0.0.1', port });
  return port;
}

const statusServer = (): Promise<number> =>
  listen(buildStatusServer({ source: { snapshot: () => { throw new Error('not asked in this test'); }, history: () => [] }, logger: silentLogger(), limits: LIMITS, onRebuildRequest: () => undefined }));

function backupServer(zfs: FakeZfs = fakeZfs(DATASET, ['1763782800000'])): Promise<number> {
  return listen(buildBackupServer({ dataset: DATASET, zfs, secret: SECRET, logger: silentLogger(), newJobId: () => 'job-1', httpLimits: LIMITS }));
}

interface Ending {
  readonly afterMs: number;
  readonly received: string;
}

/** A raw connection that writes `first`, then `trickle` every 100 ms; resolves when the server closes it. */
function rawClient(port: number, first: string, trickle?: string): Promise<Ending> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    const timer = trickle === undefined ? undefined : setInterval(() => socket.writable && socket.write(trickle), 100);
    socket.on('connect', () => first !== '' && socket.write(first));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ afterMs: Date.now() - started, received });
    });
  });
}

const slowBody = (path: string, auth = ''): string =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{`;

function expectTimedOut(endings: readonly Ending[], timeoutMs: number): void {
  for (const ending of endings) {
    expect(ending.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(ending.afterMs).toBeGreaterThanOrEqual(timeoutMs - 50);
    expect(ending.afterMs).toBeLessThan(timeoutMs + SLACK_MS);
  }
}

describe.each([
  // GET /history answers from the history alone, so this test does not follow the snapshot's shape.
  ['status API', statusServer, '/history', '/rebuild', ''],
  ['backup server', () => backupServer(), '/ping', '/sends', `Authorization: Bearer ${SECRET}\r\n`],
] as const)('%s limits', (_name, start, getPath, postPath, auth) => {
  it('answers 408 and closes connections whose body stalls or trickles, within requestTimeoutMs', async () => {
    const port = await start();
    const endings = await Promise.all([
      rawClient(port, slowBody(postPath, auth)),
      rawClient(port, slowBody(postPath, auth)),
      rawClient(port, slowBody(postPath, auth), ' '),
    ]);
    expectTimedOut(endings, LIMITS.requestTimeoutMs);
  });

  it('closes connections whose headers never end, or that send nothing, within headersTimeoutMs', async () => {
    const port = await start();
    const endings = await Promise.all([rawClient(port, `GET ${getPath} HTTP/1.1\r\nHost: 127.0.0.1\r\n`), rawClient(port, ''), rawClient(port, `GET ${getPath} HTTP/1.1\r\n`, 'X-Slow: 1\r\n')]);
    expectTimedOut(endings, LIMITS.headersTimeoutMs);
  });

  it('closes an idle kept-alive connection after keepAliveTimeoutMs', async () => {
    const port = await start();
    // Node advertises keepAliveTimeoutMs but closes up to 1 s later, so that a client leaves first (no reset race).
    const buffer = 1_000;
    const ending = await rawClient(port, `GET ${getPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    expect(ending.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(ending.afterMs).toBeGreaterThanOrEqual(LIMITS.keepAliveTimeoutMs - 50);
    expect(ending.afterMs).toBeLessThan(LIMITS.keepAliveTimeoutMs + buffer + SLACK_MS);
  });

  it('closes connections over maxConnections at once, and serves again once slots are free', async () => {
    const port = await start();
    const holders = Array.from({ length: LIMITS.maxConnections }, () => rawClient(port, `GET ${getPath} HTTP/1.1\r\n`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const over = await Promise.all([rawClient(port, `GET ${getPath} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`), rawClient(port, '')]);
    for (const ending of over) {
      expect(ending.received).toBe('');
      expect(ending.afterMs).toBeLessThan(LIMITS.headersTimeoutMs);
    }
    expectTimedOut(await Promise.all(holders), LIMITS.headersTimeoutMs);
    const again = await rawClient(port, `GET ${getPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(again.received).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('backup server streams', () => {
  it('sends a stream that lasts well past requestTimeoutMs to its end', async () => {
    const zfs = fakeZfs(DATASET, ['1763782800000']);
    zfs.endSends = false;
    const port = await backupServer(zfs);
    const created = await fetch(`http://127.0.0.1:${port}/sends`, {
      method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' }, body: '{}',
    });
    expect(created.status).toBe(201);
    const body = new Promise<{ status: number; bytes: number; afterMs: number }>((resolve, reject) => {
      const started = Date.now();
      get({ host: '127.0.0.1', port, path: '/sends/job-1/stream', headers: { authorization: `Bearer ${SECRET}` } }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes, afterMs: Date.now() - started }));
        response.on('error', reject);
      }).on('error', reject);
    });
    // zfs keeps producing, slowly, for three request timeouts; then the stream ends cleanly.
    while (zfs.sends.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const send = zfs.sends[0]?.stream;
    for (let i = 0; i < 18; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      send?.write(Buffer.alloc(1000, i));
    }
    send?.end();
    const result = await body;
    expect(result.status).toBe(200);
    expect(result.bytes).toBe(zfs.payload.length + 18_000);
    expect(result.afterMs).toBeGreaterThan(3 * LIMITS.requestTimeoutMs - 100);
  });
});
