// Server down: every call fails with COORD_TIMEOUT instead of hanging, nothing runs late, and the session survives a restart.
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZooKeeperCoordinator } from '../../src/coord/index.js';
import { freePort } from '../helpers/ports.js';
import { uniqueName } from '../helpers/scratch.js';
import { startZooKeeper, type ZkEnsemble } from '../helpers/zookeeper.js';
import { CoordinatorPool, clusterState, payload, peerId, sleep } from './coord-support.js';

let zk: ZkEnsemble;
const pool = new CoordinatorPool(() => ({ connectString: zk.connectString }));
const CALL_TIMEOUT_MS = 500;
const SETTLE_MS = 400;

beforeAll(async () => {
  zk = await startZooKeeper({ servers: 1 });
});

afterAll(async () => {
  await pool.closeAll();
  await zk?.stop();
});

async function timed<T>(work: Promise<T>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  try {
    await work;
    return { error: undefined, elapsedMs: Date.now() - started };
  } catch (error) {
    return { error, elapsedMs: Date.now() - started };
  }
}

describe('Coordinator while ZooKeeper is down', () => {
  it('times out every call with COORD_TIMEOUT, never runs a timed-out call later, and keeps the session', async () => {
    const path = `/dugong-test/${uniqueName('outage')}`;
    const { coordinator, events } = await pool.started(path, { callTimeoutMs: CALL_TIMEOUT_MS, sessionTimeoutMs: 4_000 });
    const registration = await coordinator.register(peerId(1), payload(1));
    const { coordinator: leaver } = await pool.started(path, { callTimeoutMs: CALL_TIMEOUT_MS, sessionTimeoutMs: 4_000 });
    await leaver.register(peerId(2), payload(2));
    const { coordinator: joiner } = await pool.started(path, { callTimeoutMs: CALL_TIMEOUT_MS, sessionTimeoutMs: 4_000 });

    await zk.kill(1);
    await events.waitFor('session', (s) => s.kind === 'disconnected');
    const calls: Record<string, Promise<unknown>> = {
      readState: coordinator.readState(),
      activePeers: coordinator.activePeers(),
      createState: coordinator.createState(clusterState(1, 1, 2)),
      readHistory: coordinator.readHistory(),
      unregister: leaver.unregister(),
      register: joiner.register(peerId(3), payload(3)),
    };
    for (const [name, call] of Object.entries(calls)) {
      const { error, elapsedMs } = await timed(call);
      expect(error, name).toMatchObject({ code: 'DUGONG_ERR_COORD_TIMEOUT', details: { kind: 'timeout', operation: name } });
      expect(elapsedMs, name).toBeLessThan(CALL_TIMEOUT_MS + 1_000);
    }

    await zk.restart(1);
    const back = await events.waitFor('session', (s) => s.kind === 'connected' && events.of('session').indexOf(s) > 1);
    // A server restart does not expire sessions: same session, same ephemeral node. The registration wishes
    // that timed out while the server was down are applied after the reconnect.
    expect(back.sessionId).toBe(registration.sessionId);
    await events.waitFor('active', (l) => l.entries.map((e) => e.peer.id).join() === [peerId(1), peerId(3)].join());
    expect((await coordinator.activePeers()).entries[0]?.nodeName).toBe(registration.nodeName);
    // The createState that timed out while disconnected was never sent.
    expect(await coordinator.readState()).toEqual({ kind: 'absent' });
    expect(events.of('session').map((s) => s.kind)).toEqual(['connected', 'disconnected', 'connected']);

    // After the reconnect the watches are re-armed, not stacked: still one event per change.
    await sleep(SETTLE_MS);
    const activeBefore = events.count('active');
    const stateBefore = events.count('state');
    const { coordinator: other } = await pool.started(path);
    const second = await other.register(peerId(4), payload(4));
    await events.waitFor('active', (l) => l.entries.some((e) => e.nodeName === second.nodeName));
    await other.createState(clusterState(1, 1, 2));
    await events.waitFor('state', (s) => s.kind === 'valid');
    await sleep(SETTLE_MS);
    expect(events.count('active')).toBe(activeBefore + 1);
    expect(events.count('state')).toBe(stateBefore + 1);
  });

  it('start() rejects with COORD_TIMEOUT when no server answers', async () => {
    const coordinator = createZooKeeperCoordinator({
      connectString: `127.0.0.1:${await freePort()}`,
      shardPath: '/dugong-test/nothing',
      sessionTimeoutMs: 2_000,
      connectTimeoutMs: 700,
    });
    const { error, elapsedMs } = await timed(coordinator.start());
    expect(error).toMatchObject({ code: 'DUGONG_ERR_COORD_TIMEOUT', details: { kind: 'timeout', operation: 'start' } });
    expect(elapsedMs).toBeLessThan(2_000);
    await expect(coordinator.readState()).rejects.toMatchObject({ details: { kind: 'closed' } });
  });

  it('drops a connection whose handshake is never answered and tries again (the library alone would wait forever)', async () => {
    // ZooKeeper 3.8.0 can leave exactly such a connection open when a client connects while it is starting.
    const accepted: Socket[] = [];
    const blackHole = createServer((socket) => accepted.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => blackHole.listen(port, '127.0.0.1', resolve));
    try {
      const coordinator = createZooKeeperCoordinator({
        connectString: `127.0.0.1:${port}`,
        shardPath: '/dugong-test/blackhole',
        sessionTimeoutMs: 1_500,
        connectTimeoutMs: 1_800,
      });
      const { error } = await timed(coordinator.start());
      expect(error).toMatchObject({ code: 'DUGONG_ERR_COORD_TIMEOUT' });
      // Handshake timeout = session timeout / 3 = 500 ms: a fresh attempt at least every ~500 ms.
      expect(accepted.length).toBeGreaterThanOrEqual(3);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    }
  });
});
