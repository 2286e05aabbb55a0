// Session expiry with a real paused process: SIGSTOP past the session timeout, the node goes, SIGCONT re-registers.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnTracked, stopPid } from '../helpers/processes.js';
import { uniqueName } from '../helpers/scratch.js';
import { startZooKeeper, type ZkEnsemble } from '../helpers/zookeeper.js';
import { CoordinatorPool, peerId, sleep } from './coord-support.js';

let zk: ZkEnsemble;
const pool = new CoordinatorPool(() => ({ connectString: zk.connectString }));
const children: ChildProcess[] = [];
const SESSION_TIMEOUT_MS = 1_500;

beforeAll(async () => {
  zk = await startZooKeeper({ servers: 1, tickTimeMs: 500, minSessionTimeoutMs: 1_000 });
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => (child.pid === undefined ? undefined : stopPid(child.pid, 'SIGTERM', 3_000))));
});

afterAll(async () => {
  await pool.closeAll();
  await zk?.stop();
});

type Line = Record<string, unknown> & { type: string };

/** Runs test/fixtures/coord-client.ts and collects its JSON lines. */
function startFixture(config: Record<string, unknown>): { child: ChildProcess; lines: Line[]; waitLine: (p: (l: Line) => boolean, timeoutMs?: number) => Promise<Line> } {
  // setpriv: the kernel kills the fixture if this worker dies without teardown (it execs node: same PID to signal).
  const argv = ['--pdeathsig', 'KILL', '--', process.execPath, '--import', 'tsx', 'test/fixtures/coord-client.ts', JSON.stringify(config)];
  const child = spawnTracked('coord-client', '/usr/bin/setpriv', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: Line[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (child.stdout !== null) createInterface({ input: child.stdout }).on('line', (text) => lines.push(JSON.parse(text) as Line));
  const waitLine = async (predicate: (l: Line) => boolean, timeoutMs = 15_000): Promise<Line> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`fixture line not seen; lines=${JSON.stringify(lines)} stderr=${stderr}`);
      await sleep(10);
    }
  };
  return { child, lines, waitLine };
}

interface FixtureRegistration {
  nodeName: string;
  seq: number;
  sessionId: string;
}

describe('Coordinator session expiry (separate process, SIGSTOP/SIGCONT)', () => {
  it('loses the node while paused and registers again with a new session and seq after resume', async () => {
    const path = `/dugong-test/${uniqueName('expiry')}`;
    const { events } = await pool.started(path);
    const id = peerId(1);
    const fixture = startFixture({ connectString: zk.connectString, shardPath: path, id, sessionTimeoutMs: SESSION_TIMEOUT_MS });
    const first = (await fixture.waitLine((l) => l.type === 'registered')).registration as FixtureRegistration;
    await events.waitFor('active', (l) => l.entries.some((e) => e.nodeName === first.nodeName));

    const pid = fixture.child.pid ?? -1;
    const mark = events.mark();
    process.kill(pid, 'SIGSTOP');
    const pausedAtMs = Date.now();
    const gone = await events.waitFor('active', (l) => !l.entries.some((e) => e.peer.id === id), 10_000, mark);
    const goneAfterMs = events.events.find((r) => r.payload === gone)?.atMs ?? Date.now();
    // Expiry lands within [timeout - timeout/3, timeout + tick] of the last ping.
    expect(goneAfterMs - pausedAtMs).toBeGreaterThanOrEqual(SESSION_TIMEOUT_MS * (2 / 3) - 100);
    expect(goneAfterMs - pausedAtMs).toBeLessThan(SESSION_TIMEOUT_MS + 2_000);
    process.kill(pid, 'SIGCONT');

    const expired = await fixture.waitLine((l) => l.type === 'session' && l['kind'] === 'expired');
    expect(expired['sessionId']).toBe(first.sessionId);
    const reconnected = await fixture.waitLine((l) => l.type === 'session' && l['kind'] === 'connected' && l['sessionId'] !== first.sessionId);
    const second = reconnected['registration'] as FixtureRegistration;
    expect(second.sessionId).toBe(reconnected['sessionId']);
    expect(second.seq).toBeGreaterThan(first.seq);
    expect(fixture.lines.indexOf(expired)).toBeLessThan(fixture.lines.indexOf(reconnected));
    await events.waitFor('active', (l) => l.entries.map((e) => e.nodeName).join() === second.nodeName);

    // Graceful stop (SIGTERM -> close): the node goes at once, not after a session timeout.
    const beforeStop = events.mark();
    const stoppedAtMs = Date.now();
    await stopPid(pid, 'SIGTERM', 5_000);
    await events.waitFor('active', (l) => l.entries.length === 0, 1_000, beforeStop);
    expect(Date.now() - stoppedAtMs).toBeLessThan(1_000);
  });
});
