// The backup server over fastify.inject with a recording fake Zfs: auth, hostile requests, limits, jobs and streams.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildBackupServer } from '../../src/backup/server.js';
import { silentLogger } from '../../src/log.js';
import { parseDatasetName } from '../../src/zfs/index.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { fakeZfs, type FakeZfs } from './backup-fake-zfs.js';

const SECRET = 'shard-secret-0123456789-abcdefghij';
const AUTH = { authorization: `Bearer ${SECRET}` };
const DATASET = parseDatasetName('tank/dugong/peer1');
const A = '1763782800000';
const B = '1763782860000';
const T0 = 1_763_782_900_000;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function serve(options: { names?: string[]; maxConcurrentSends?: number } = {}): { app: FastifyInstance; zfs: FakeZfs; clock: ManualClock } {
  const zfs = fakeZfs(DATASET, options.names ?? [A, 'before-upgrade', B]);
  const clock = new ManualClock();
  clock.advance(T0);
  let next = 0;
  app = buildBackupServer({
    dataset: DATASET, zfs, secret: SECRET, logger: silentLogger(), clock,
    newJobId: () => `job-${(next += 1)}`,
    limits: { maxConcurrentSends: options.maxConcurrentSends ?? 2, jobTtlMs: 60_000, claimTimeoutMs: 5_000 },
  });
  return { app, zfs, clock };
}

function listeningPort(server: FastifyInstance): number {
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}

/** A GET with the path exactly as given (node:http does not normalise it). */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', headers: AUTH }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

const post = (payload: unknown, headers: Record<string, string> = AUTH): InjectOptions => ({ method: 'POST', url: '/sends', headers, payload: payload as InjectOptions['payload'] });

describe('authentication', () => {
  it.each([
    ['no header', {}],
    ['a wrong secret', { authorization: 'Bearer shard-secret-0123456780' }],
    ['the secret without the scheme', { authorization: SECRET }],
    ['another scheme', { authorization: `Basic ${SECRET}` }],
    ['a prefix of the secret', { authorization: `Bearer ${SECRET.slice(0, 16)}` }],
  ])('refuses %s with 401 on every route and runs no zfs command', async (_what, headers) => {
    const { app, zfs } = serve();
    for (const request of [
      { method: 'GET', url: '/snapshots', headers },
      post({ snapshot: A }, headers),
      { method: 'GET', url: '/sends', headers },
      { method: 'GET', url: '/sends/job-1', headers },
      { method: 'GET', url: '/sends/job-1/stream', headers },
      { method: 'DELETE', url: '/sends/job-1', headers },
      { method: 'GET', url: '/nowhere', headers },
    ] as InjectOptions[]) {
      const response = await app.inject(request);
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(401);
      expect(response.json()).toMatchObject({ code: 'DUGONG_ERR_UNAUTHORIZED' });
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    expect(zfs.calls).toEqual([]);
  });

  it('answers /ping without a secret and touches nothing', async () => {
    const { app, zfs } = serve();
    const response = await app.inject({ method: 'GET', url: '/ping' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect(zfs.calls).toEqual([]);
  });
});

describe('listing', () => {
  it("lists only the served dataset's Dugong snapshots", async () => {
    const { app, zfs } = serve();
    const response = await app.inject({ method: 'GET', url: '/snapshots', headers: AUTH });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      dataset: DATASET,
      snapshots: [
        { name: A, createdAt: '2025-11-22T03:40:00.000Z', referencedBytes: 4096, usedBytes: 0 },
        { name: B, createdAt: '2025-11-22T03:41:00.000Z', referencedBytes: 4096, usedBytes: 0 },
      ],
    });
    expect(zfs.calls).toEqual([`listSnapshots ${DATASET}`]);
  });
});

describe('hostile and malformed requests touch nothing', () => {
  it.each([
    ['another dataset', { snapshot: `otherpool/x@${A}` }, 400, 'DUGONG_ERR_ZFS_NAME_INVALID'],
    ['a path', { snapshot: '../../../etc/shadow' }, 400, 'DUGONG_ERR_ZFS_NAME_INVALID'],
    ['an encoded path', { from: '..%2F..%2Fetc' }, 400, 'DUGONG_ERR_ZFS_NAME_INVALID'],
    ['a hand-made snapshot', { snapshot: 'before-upgrade' }, 400, 'DUGONG_ERR_ZFS_NAME_INVALID'],
    ['a dataset field', { dataset: 'otherpool/x' }, 400, 'DUGONG_ERR_BAD_REQUEST'],
    ['from = snapshot', { snapshot: A, from: A }, 400, 'DUGONG_ERR_BAD_REQUEST'],
  ])('POST /sends with %s → %s', async (_what, body, status, code) => {
    const { app, zfs } = serve();
    const response = await app.inject(post(body));
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
    expect(zfs.calls).toEqual([]);
  });

  it('refuses oversized bodies, non-JSON content types and broken JSON', async () => {
    const { app, zfs } = serve();
    const big = await app.inject(post({ snapshot: A, padding: 'x'.repeat(5_000) }));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'DUGONG_ERR_BAD_REQUEST' });
    const text = await app.inject({ method: 'POST', url: '/sends', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: `snapshot=${A}` });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'DUGONG_ERR_BAD_REQUEST' });
    const form = await app.inject({ method: 'POST', url: '/sends', headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' }, payload: `snapshot=${A}` });
    expect(form.statusCode).toBe(415);
    const broken = await app.inject({ method: 'POST', url: '/sends', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"snapshot": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'DUGONG_ERR_BAD_REQUEST' });
    const proto = await app.inject({ method: 'POST', url: '/sends', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' });
    expect(proto.statusCode).toBe(400);
    expect(zfs.calls).toEqual([]);
  });

  it.each([
    '/sends/..%2F..%2Fetc%2Fpasswd',
    '/sends/..%2F..%2Fetc/stream',
    '/sends/a%20b',
    `/sends/${'x'.repeat(70)}`,
  ])('refuses the job id in %s with 400', async (url) => {
    const { app, zfs } = serve();
    const response = await app.inject({ method: 'GET', url, headers: AUTH });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'DUGONG_ERR_BAD_REQUEST' });
    expect(zfs.calls).toEqual([]);
  });

  it('takes paths as sent, without resolving dot segments: no route escapes, no zfs command runs', async () => {
    // fastify.inject (like curl and browsers) resolves `..` before sending: a raw socket sends the path as it is.
    const { app, zfs } = serve();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = listeningPort(app);
    const cases: [string, number][] = [
      ['/snapshots/../sends', 404],
      ['/sends/job-1/../../snapshots', 404],
      ['/sends/%2E%2E/stream', 400],
      ['/sends/..%2F..%2Fsnapshots/stream', 400],
      ['/snapshots/tank%2Fother', 404],
      ['/snapshots/..%2F..%2Fotherpool', 404],
      ['//snapshots', 404],
      ['/datasets', 404],
    ];
    for (const [path, status] of cases) {
      const answer = await rawGet(port, path);
      expect(answer.status, path).toBe(status);
      expect(answer.body, path).toMatch(/"code":"DUGONG_ERR_[A-Z_]+"/);
    }
    expect(zfs.calls).toEqual([]);
  });

  it('answers 404 for an unknown snapshot or job, 400 for from not older than snapshot (listing only)', async () => {
    const { app, zfs } = serve();
    expect((await app.inject(post({ snapshot: '1999999999999' }))).json()).toMatchObject({ code: 'DUGONG_ERR_BACKUP_NOT_FOUND' });
    const order = await app.inject(post({ snapshot: A, from: B }));
    expect(order.statusCode).toBe(400);
    expect(order.json().message).toMatch(/not older/);
    expect((await app.inject({ method: 'GET', url: '/sends/job-9', headers: AUTH })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/sends/job-9/stream', headers: AUTH })).statusCode).toBe(404);
    expect(zfs.calls.every((call) => call.startsWith('listSnapshots'))).toBe(true);
  });
});

describe('send jobs', () => {
  it('creates a job, streams it once with the estimate in a header, and reports it done', async () => {
    const { app, zfs } = serve();
    const created = await app.inject(post({ from: A }));
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/sends/job-1');
    expect(created.json()).toMatchObject({ id: 'job-1', snapshot: B, from: A, state: 'queued', estimatedBytes: zfs.payload.length, bytesSent: 0 });
    const stream = await app.inject({ method: 'GET', url: '/sends/job-1/stream', headers: AUTH });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toBe('application/octet-stream');
    expect(stream.headers['x-dugong-estimated-bytes']).toBe(String(zfs.payload.length));
    expect(stream.headers['x-dugong-from']).toBe(A);
    expect(stream.rawPayload).toEqual(zfs.payload);
    expect(zfs.calls).toContain(`send ${DATASET}@${B} from ${A}`);
    await new Promise((resolve) => setImmediate(resolve));
    const progress = await app.inject({ method: 'GET', url: '/sends/job-1', headers: AUTH });
    expect(progress.json()).toMatchObject({ state: 'done', bytesSent: zfs.payload.length, error: null });
    const again = await app.inject({ method: 'GET', url: '/sends/job-1/stream', headers: AUTH });
    expect(again.statusCode).toBe(409);
  });

  it('has no HEAD twin of the stream route (it would run a send for nothing)', async () => {
    const { app, zfs } = serve();
    await app.inject(post({}));
    const head = await app.inject({ method: 'HEAD', url: '/sends/job-1/stream', headers: AUTH });
    expect(head.statusCode).toBe(404);
    expect(zfs.calls.some((call) => call.startsWith('send'))).toBe(false);
    expect((await app.inject({ method: 'GET', url: '/sends/job-1', headers: AUTH })).json()).toMatchObject({ state: 'queued' });
  });

  it('refuses sends beyond maxConcurrentSends with 429 and Retry-After, before any zfs command', async () => {
    const { app, zfs, clock } = serve({ maxConcurrentSends: 1 });
    expect((await app.inject(post({}))).statusCode).toBe(201);
    const callsBefore = zfs.calls.length;
    const refused = await app.inject(post({}));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toMatchObject({ code: 'DUGONG_ERR_BACKUP_BUSY' });
    expect(zfs.calls.length).toBe(callsBefore);
    // The unclaimed job gives its slot back after claimTimeoutMs.
    clock.advance(5_000);
    expect((await app.inject(post({}))).statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/sends/job-1', headers: AUTH })).json()).toMatchObject({ state: 'aborted' });
  });

  it('forgets finished jobs after jobTtlMs', async () => {
    const { app, clock } = serve();
    await app.inject(post({}));
    await app.inject({ method: 'DELETE', url: '/sends/job-1', headers: AUTH });
    expect((await app.inject({ method: 'GET', url: '/sends', headers: AUTH })).json().sends).toHaveLength(1);
    clock.advance(60_000);
    expect((await app.inject({ method: 'GET', url: '/sends/job-1', headers: AUTH })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/sends', headers: AUTH })).json()).toEqual({ sends: [] });
  });

  it('DELETE aborts a running send through zfs; closing the server aborts the rest', async () => {
    const { app: server, zfs } = serve();
    zfs.endSends = false;
    await server.inject(post({}));
    await server.inject(post({ snapshot: A }));
    await server.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${listeningPort(server)}`;
    const first = await fetch(`${base}/sends/job-1/stream`, { headers: AUTH });
    const reader = first.body?.getReader();
    expect((await reader?.read())?.value?.length).toBe(zfs.payload.length);
    const deleted = await server.inject({ method: 'DELETE', url: '/sends/job-1', headers: AUTH });
    expect(deleted.json()).toMatchObject({ state: 'aborted', error: 'aborted by the client (DELETE)' });
    expect(zfs.sends[0]?.aborted).toBeDefined();
    await expect(reader?.read()).rejects.toThrow();
    const second = await fetch(`${base}/sends/job-2/stream`, { headers: AUTH });
    const secondReader = second.body?.getReader();
    await secondReader?.read();
    await server.close();
    app = undefined;
    expect(zfs.sends[1]?.aborted).toBeDefined();
    await expect(secondReader?.read()).rejects.toThrow();
  });
});
