// dugong-adm's command line, run in-process against an in-memory coordinator: exit statuses, --json, lost races, promote's wait.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runAdm } from '../../src/adm/program.js';
import type { PgProbe } from '../../src/adm/pg-probe.js';
import type { ClusterState } from '../../src/schema/index.js';
import { activeOf, baseState, captureIo, FakeCoordinator, fakeDeps, P1, P2, P3, upProbe } from './adm-fakes.js';

const TARGET = ['-z', '10.0.0.9:2181', '-s', '/dugong/test'];
const ROOT = new URL('../..', import.meta.url).pathname;

async function adm(coordinator: FakeCoordinator, args: readonly string[], probes = new Map<string, PgProbe>()) {
  const io = captureIo();
  const status = await runAdm([...TARGET, ...args], io, fakeDeps(coordinator, probes));
  return { status, out: io.out(), err: io.err() };
}

describe('dugong-adm in-process', () => {
  it('exits 2 on usage errors: no shard, unknown verb, missing option, bad value', async () => {
    const coordinator = new FakeCoordinator(baseState());
    const io = captureIo();
    expect(await runAdm(['show'], io, fakeDeps(coordinator))).toBe(2);
    expect(io.err()).toMatch(/DUGONG_ERR_USAGE: which shard\? give -z/);
    expect((await adm(coordinator, ['shwo'])).status).toBe(2);
    expect((await adm(coordinator, ['freeze'])).err).toMatch(/required option '-r, --reason <text>'/);
    expect((await adm(coordinator, ['promote', '-n', P2.id, '-r', 'primary'])).status).toBe(2);
    expect((await adm(coordinator, ['pg-status', '0'])).status).toBe(2);
    expect((await runAdm(['-z', 'nonsense', '-s', '/x', 'show'], captureIo(), fakeDeps(coordinator)))).toBe(2);
    expect((await adm(coordinator, ['rebuild'])).err).toMatch(/rebuild acts on the local peer: give its sitter config with -c/);
    expect(coordinator.closed).toBe(coordinator.started);
  });

  it('prints JSON with --json (and -j) on every read verb', async () => {
    const coordinator = new FakeCoordinator(baseState());
    coordinator.set(baseState());
    for (const verb of ['show', 'peers', 'pg-status', 'history', 'verify', 'state', 'active']) {
      const { out } = await adm(coordinator, [verb, verb === 'history' ? '-j' : '--json']);
      expect(() => JSON.parse(out), `${verb} --json`).not.toThrow();
    }
    const peers = JSON.parse((await adm(coordinator, ['peers', '--json'])).out) as { peers: Array<{ role: string }> };
    expect(peers.peers.map((p) => p.role)).toEqual(['primary', 'sync', 'async']);
  });

  it('verify exits 1 on an error and 0 on warnings only', async () => {
    const coordinator = new FakeCoordinator(baseState({ async: [] }), activeOf(P1, P2));
    const broken = await adm(coordinator, ['verify']);
    expect(broken.status).toBe(1);
    expect(broken.out).toMatch(/^error: primary .*PostgreSQL is not reachable/m);
    const probes = new Map<string, PgProbe>([
      [P1.id, upProbe({ inRecovery: false, currentLsn: '0/3000100', readOnly: false, syncStandbyNames: '"10_0_0_2_5442_10012"', replication: [{ pid: 1, applicationName: '10_0_0_2_5442_10012', clientAddr: null, state: 'streaming', sentLsn: '0/3000100', writeLsn: '0/3000100', flushLsn: '0/3000100', replayLsn: '0/3000100', syncState: 'sync' }] })],
      // The sync streams from the primary: a standby whose WAL receiver does not stream is an error.
      [P2.id, upProbe({ receiver: { pid: 2, status: 'streaming', senderHost: P1.ip, senderPort: 5432, receivedTimeline: 1, flushedLsn: '0/3000100', conninfo: null } })],
    ]);
    const healthy = await adm(coordinator, ['verify'], probes);
    expect(healthy.out).toMatch(/^warning: no async/m);
    expect(healthy.status).toBe(0);
  });

  it('reports a lost compare-and-set race and leaves the other write in place', async () => {
    const coordinator = new FakeCoordinator(baseState());
    const theirs: ClusterState = { ...baseState(), async: [] };
    coordinator.beforeWrite = () => {
      coordinator.beforeWrite = undefined;
      coordinator.set(theirs);
    };
    const result = await adm(coordinator, ['freeze', '-r', 'maintenance']);
    expect(result.status).toBe(1);
    expect(result.err).toMatch(/DUGONG_ERR_COORD_CONFLICT: someone else changed the state while this command ran; nothing was written: re-run it/);
    expect(coordinator.read).toMatchObject({ kind: 'valid', state: theirs });
  });

  it('writes operator changes with history generation 0', async () => {
    const coordinator = new FakeCoordinator(baseState());
    expect((await adm(coordinator, ['freeze', '-r', 'maintenance'])).status).toBe(0);
    expect((await adm(coordinator, ['freeze', '-r', 'again'])).err).toMatch(/DUGONG_ERR_ADM_REFUSED: already frozen/);
    expect((await adm(coordinator, ['unfreeze'])).status).toBe(0);
    expect((await adm(coordinator, ['clear-promote'])).out).toMatch(/nothing to clear/);
    expect(coordinator.history.map((e) => e.generation)).toEqual([0, 0]);
  });

  it('promote writes the request, waits for the new generation and reports it', async () => {
    const coordinator = new FakeCoordinator(baseState());
    const switched = baseState({ generation: 4, primary: P2, sync: P3, async: [], deposed: [P1] });
    coordinator.on('state', (read) => {
      if (read.kind === 'valid' && read.state.promote !== undefined) setTimeout(() => coordinator.set(switched), 5);
    });
    const probes = new Map<string, PgProbe>([
      [P1.id, upProbe({ inRecovery: false, currentLsn: '0/3000100', readOnly: false })],
      [P2.id, upProbe({ inRecovery: false, currentLsn: '0/3000100', readOnly: false })],
    ]);
    const result = await adm(coordinator, ['promote', '-n', P2.id, '-r', 'sync'], probes);
    expect(result.err).toBe('');
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/^requested: 10\.0\.0\.2:5442:10012 to become primary \(0 bytes behind the primary\)/);
    expect(result.out).toMatch(/^done: generation 4: primary 10\.0\.0\.2:5442:10012, sync 10\.0\.0\.3:5452:10022/m);
    expect(coordinator.history[0]?.record).toMatchObject({ state: { promote: { id: P2.id, role: 'sync', generation: 3 } } });
  });

  it('promote refuses a lagging target unless forced, and reports an expired request as a failure', async () => {
    const coordinator = new FakeCoordinator(baseState());
    const probes = new Map<string, PgProbe>([
      [P1.id, upProbe({ inRecovery: false, currentLsn: '1/0' })],
      [P2.id, upProbe({ replayLsn: '0/0' })],
    ]);
    const refused = await adm(coordinator, ['promote', '-n', P2.id, '-r', 'sync'], probes);
    expect(refused.status).toBe(1);
    expect(refused.err).toMatch(/DUGONG_ERR_ADM_REFUSED: the target is 4\.0 GiB behind the primary \(limit 16\.0 MiB\); pass --force/);
    const expired = await adm(coordinator, ['promote', '-n', P2.id, '-r', 'sync', '--force', '--expire', '1'], probes);
    expect(expired.err).toMatch(/warning: --force/);
    expect(expired.err).toMatch(/DUGONG_ERR_PROMOTE_FAILED: the request expired/);
    expect(expired.status).toBe(1);
  });

  it('pg-status PERIOD COUNT reports COUNT times', async () => {
    const coordinator = new FakeCoordinator(baseState());
    const { out, status } = await adm(coordinator, ['pg-status', '1', '3']);
    expect(status).toBe(0);
    expect(out.match(/^ROLE +PEER +PG/gm)).toHaveLength(3);
  });

  it('runs as a real process: --help exits 0, a usage error exits 2', async () => {
    const run = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'src/cmd/adm.ts', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
      });
    });
    const [help, usage] = await Promise.all([run(['--help']), run(['verify'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: dugong-adm/);
    expect(help.stdout).toMatch(/pg-status \[options\] \[period\] \[count\]/);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/DUGONG_ERR_USAGE/);
  });
});
