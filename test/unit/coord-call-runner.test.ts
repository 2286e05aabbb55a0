// Call deadlines: a call waiting for a connection times out with COORD_TIMEOUT and is never issued afterwards.
import type { Client } from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import { CallRunner, type ConnectionSource } from '../../src/coord/zookeeper/call-runner.js';
import type { LiveClient } from '../../src/coord/zookeeper/session.js';
import type { ZkOps } from '../../src/coord/zookeeper/zk-ops.js';
import { ManualClock } from '../helpers/manual-clock.js';

/** A connection that comes up only when the test says so. */
class FakeConnection implements ConnectionSource {
  private waiters: ((live: LiveClient) => void)[] = [];
  aborted = 0;
  readonly client = {} as Client;

  whenConnected(abort: AbortSignal): Promise<LiveClient> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      abort.addEventListener('abort', () => (this.aborted += 1), { once: true });
    });
  }

  connect(): void {
    for (const resolve of this.waiters.splice(0)) resolve({ client: this.client, epoch: 1 });
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('CallRunner', () => {
  it('rejects with a typed COORD_TIMEOUT and issues nothing when the connection comes back later', async () => {
    const clock = new ManualClock();
    const connection = new FakeConnection();
    const runner = new CallRunner(connection, clock, 500);
    const issued: string[] = [];
    const call = runner.run('writeState', async (ops: ZkOps) => {
      issued.push('work started');
      await ops.mkdirp('/x');
      issued.push('op issued');
    });
    const outcome = call.catch((error: unknown) => error);
    clock.advance(500);
    expect(await outcome).toMatchObject({ code: 'DUGONG_ERR_COORD_TIMEOUT', details: { kind: 'timeout', operation: 'writeState', timeoutMs: 500 } });
    expect(connection.aborted).toBe(1);
    connection.connect();
    await flush();
    expect(issued).toEqual(['work started']);
  });

  it('after a pause of the process gives the answer one more period before timing out', async () => {
    const clock = new ManualClock();
    const connection = new FakeConnection();
    const runner = new CallRunner(connection, clock, 500);
    let settled = false;
    const call = runner.run('readState', async () => 7).finally(() => (settled = true));
    clock.advance(5_000);
    await flush();
    expect(settled, 'a timer noticed 4.5 s late means this process was stopped, not that ZooKeeper was silent').toBe(false);
    connection.connect();
    expect(await call).toBe(7);
    expect(clock.pending()).toBe(0);
  });

  it('after a pause, still times out when no answer comes within the extra period', async () => {
    const clock = new ManualClock();
    const runner = new CallRunner(new FakeConnection(), clock, 500);
    const outcome = runner.run('readState', async () => 7).catch((error: unknown) => error);
    clock.advance(5_000);
    clock.advance(500);
    expect(await outcome).toMatchObject({ code: 'DUGONG_ERR_COORD_TIMEOUT', details: { kind: 'timeout', operation: 'readState' } });
  });

  it('resolves with the work result and cancels its timer', async () => {
    const clock = new ManualClock();
    const connection = new FakeConnection();
    const runner = new CallRunner(connection, clock, 500);
    const call = runner.run('readState', async () => 42);
    connection.connect();
    expect(await call).toBe(42);
    expect(clock.pending()).toBe(0);
  });

  it('abandonAll rejects pending calls with `closed`', async () => {
    const runner = new CallRunner(new FakeConnection(), new ManualClock(), 500);
    const call = runner.run('activePeers', async () => 1);
    runner.abandonAll();
    await expect(call).rejects.toMatchObject({ code: 'DUGONG_ERR_COORD_FAILED', details: { kind: 'closed', operation: 'activePeers' } });
  });

  it('maps ZooKeeper exceptions to typed errors', async () => {
    const connection = new FakeConnection();
    const runner = new CallRunner(connection, new ManualClock(), 500);
    const call = runner.run('writeState', async () => {
      throw Object.assign(new Error('Exception: BAD_VERSION[-103]'), { code: -103 });
    });
    connection.connect();
    await expect(call).rejects.toMatchObject({ code: 'DUGONG_ERR_COORD_CONFLICT', details: { kind: 'conflict', backendCode: -103 } });
  });
});
