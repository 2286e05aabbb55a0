// The status API answers from the sitter's snapshot: health checks, query validation, history and metrics.
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildStatusServer } from '../../src/http/status-server.js';
import type { StatusSnapshot, StatusSource } from '../../src/http/status-snapshot.js';
import { DecisionHistory } from '../../src/runtime/history.js';
import { silentLogger } from '../../src/log.js';

function snapshot(overrides: Partial<StatusSnapshot> = {}, pg: Partial<StatusSnapshot['pg']> = {}): StatusSnapshot {
  return {
    id: '127.0.0.1:5432:10002',
    role: 'primary',
    generation: 3,
    clusterState: null,
    clusterStateProblems: null,
    activePeers: [],
    pendingWork: [],
    waitingReason: null,
    coordination: 'connected',
    storage: { answering: true, notAnsweringSince: null, lastAnswered: '2026-11-22T03:00:00.000Z', error: null },
    restore: null,
    failovers: 2,
    problems: [],
    ...overrides,
    pg: {
      running: true,
      healthy: true,
      error: null,
      lastCheck: '2026-11-22T03:00:00.000Z',
      inRecovery: false,
      writable: true,
      currentLsn: '0/3000060',
      receiveLsn: null,
      replayLsn: null,
      lagBytes: null,
      streaming: null,
      walReceiver: null,
      notStreamingSince: null,
      ...pg,
    },
  };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function serve(current: StatusSnapshot, history = new DecisionHistory(10)): FastifyInstance {
  const source: StatusSource = { snapshot: () => current, history: (limit) => history.recent(limit) };
  app = buildStatusServer({ source, logger: silentLogger() });
  return app;
}

describe('status API', () => {
  it('answers /ping with 200 when healthy and 503 with the error when not', async () => {
    const healthy = await serve(snapshot()).inject('/ping');
    expect(healthy.statusCode).toBe(200);
    expect(healthy.json()).toEqual({ healthy: true, error: null, lastCheck: '2026-11-22T03:00:00.000Z', storage: snapshot().storage });
    await app?.close();
    const sick = await serve(snapshot({}, { healthy: false, error: 'connection refused' })).inject('/ping');
    expect(sick.statusCode).toBe(503);
    expect(sick.json()).toMatchObject({ healthy: false, error: 'connection refused' });
  });

  it('answers /ping with 503 and reports dugong_storage_answering 0 while the storage does not answer', async () => {
    const storage = { answering: false, notAnsweringSince: '2026-11-22T02:59:50.000Z', lastAnswered: '2026-11-22T02:59:50.000Z', error: 'deadline of 2000 ms passed' };
    const server = serve(snapshot({ storage }));
    const ping = await server.inject('/ping');
    expect(ping.statusCode).toBe(503);
    expect(ping.json()).toEqual({ healthy: false, error: 'storage has not answered since 2026-11-22T02:59:50.000Z', lastCheck: '2026-11-22T03:00:00.000Z', storage });
    expect((await server.inject('/state')).json()).toMatchObject({ storage });
    expect((await server.inject('/metrics')).body).toContain('dugong_storage_answering 0');
  });

  it('passes /primary only for a healthy primary out of recovery, and fails /replica there', async () => {
    const server = serve(snapshot());
    expect((await server.inject('/primary')).statusCode).toBe(200);
    expect((await server.inject('/replica')).statusCode).toBe(503);
    expect((await server.inject('/sync')).statusCode).toBe(503);
    expect((await server.inject('/health')).statusCode).toBe(200);
  });

  it('checks replica lag against the lag query, with units', async () => {
    const server = serve(snapshot({ role: 'sync' }, { inRecovery: true, lagBytes: 20_000 }));
    expect((await server.inject('/sync')).statusCode).toBe(200);
    expect((await server.inject('/async')).statusCode).toBe(503);
    expect((await server.inject('/replica')).statusCode).toBe(200);
    expect((await server.inject('/replica?lag=10000')).statusCode).toBe(503);
    expect((await server.inject('/replica?lag=16kB')).statusCode).toBe(503);
    expect((await server.inject('/replica?lag=32kB')).statusCode).toBe(200);
    expect((await server.inject('/replica?lag=1MB')).statusCode).toBe(200);
  });

  it('rejects a malformed lag with 400 and a stable code', async () => {
    const response = await serve(snapshot({ role: 'async' }, { inRecovery: true })).inject('/replica?lag=-5');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'DUGONG_ERR_BAD_REQUEST' });
    expect(response.json().problems[0]).toMatch(/^lag: /);
  });

  it('serves the state snapshot, the history and Prometheus metrics', async () => {
    const history = new DecisionHistory(10);
    history.add({ time: '2026-11-22T03:00:01.000Z', sentence: 'Became primary at generation 3.', generation: 3 });
    const server = serve(snapshot({ waitingReason: 'waiting for the sync to catch up' }), history);
    expect((await server.inject('/state')).json()).toMatchObject({ role: 'primary', generation: 3, waitingReason: 'waiting for the sync to catch up' });
    expect((await server.inject('/history')).json().entries).toEqual([
      { time: '2026-11-22T03:00:01.000Z', sentence: 'Became primary at generation 3.', generation: 3 },
    ]);
    const metrics = (await server.inject('/metrics')).body;
    expect(metrics).toContain('dugong_role{role="primary"} 1');
    expect(metrics).toContain('dugong_role{role="sync"} 0');
    expect(metrics).toContain('dugong_generation 3');
    expect(metrics).toContain('dugong_failovers_total 2');
    expect(metrics).toContain('dugong_storage_answering 1');
    expect(metrics).toContain('dugong_postgres_healthy 1');
  });

  it('answers unknown paths with 404 and a stable code', async () => {
    const response = await serve(snapshot()).inject('/../../etc/passwd');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'DUGONG_ERR_BAD_REQUEST' });
  });
});

describe('decision history', () => {
  it('keeps only the newest records up to its capacity', () => {
    const history = new DecisionHistory(3);
    for (let i = 1; i <= 5; i += 1) history.add({ time: `t${i}`, sentence: `decision ${i}`, generation: i });
    expect(history.recent().map((r) => r.sentence)).toEqual(['decision 3', 'decision 4', 'decision 5']);
    expect(history.recent(1).map((r) => r.sentence)).toEqual(['decision 5']);
  });
});
