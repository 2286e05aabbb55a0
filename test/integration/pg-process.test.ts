// The PostgreSQL driver's process control against real PostgreSQL 15: start, crash notice, stop modes, leftovers, health timeouts, failing commands.
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isDugongError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { createPostgresController, type PgExit } from '../../src/pg/index.js';
import { isProcessAlive } from '../../src/pg/proc.js';
import { PgCluster, type PgInstance } from '../helpers/postgres.js';
import { trackPid, untrackPid } from '../helpers/processes.js';

let cluster: PgCluster;

beforeAll(async () => {
  cluster = await PgCluster.create('process');
});

afterAll(async () => {
  await cluster.cleanup();
});

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('PostgreSQL process control', () => {
  let pg: PgInstance;

  beforeAll(async () => {
    pg = await cluster.primary('main');
  });

  // Each test starts from a running server, so that one failing midway (a crash, orphans) does not fail the next ones.
  beforeEach(async () => {
    if (pg.controller.running() !== null) return;
    await pg.controller.stopLeftover('immediate', { timeoutMs: 10_000 });
    await pg.controller.start({ timeoutMs: 30_000 });
  });

  it('reports a crash of the postmaster through onExit and exited, and restarts after crash recovery', async () => {
    const running = pg.controller.running();
    expect(running).not.toBeNull();
    const { rows } = await pg.client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'");
    const checkpointer = rows[0]!.pid;
    const seen: PgExit[] = [];
    const unsubscribe = pg.controller.onExit((exit) => seen.push(exit));
    // A stopped child cannot notice its postmaster's death: it stays behind as an orphan holding the shared memory.
    // Tracked, so that teardown (or the exit hook) stops it by PID if this test fails before start() does.
    trackPid(checkpointer, 'SIGSTOPped checkpointer');
    process.kill(checkpointer, 'SIGSTOP');
    process.kill(running!.pid, 'SIGKILL');
    const exit = await running!.exited;
    unsubscribe();
    expect(exit).toEqual({ pid: running!.pid, code: null, signal: 'SIGKILL', requested: false });
    expect(seen).toEqual([exit]);
    expect(pg.controller.running()).toBeNull();
    // The other children (writers, launchers, the client's backend) exit once each notices the death: how many are
    // still there at this moment depends on scheduling, so only the one that cannot exit is sure to be listed.
    const finding = await pg.controller.findLeftover();
    expect(finding).toMatchObject({ kind: 'stale', pid: running!.pid });
    const orphans = finding.kind === 'stale' ? finding.orphans : [];
    expect(orphans).toContain(checkpointer);
    // The supervisor's path after a crash: start again (the orphans are stopped first, then crash recovery).
    await pg.controller.start({ timeoutMs: 30_000 });
    expect(await Promise.all(orphans.map((pid) => isProcessAlive(pid)))).not.toContain(true);
    untrackPid(checkpointer);
    expect(await pg.client.checkHealth()).toMatchObject({ healthy: true, inRecovery: false });
    expect(await readFile(pg.logFile, 'utf8')).toContain('database system was interrupted');
  });

  it('stops fast (clean shutdown checkpoint) or immediately (crash recovery at next start), as asked', async () => {
    const fast = await pg.controller.stop('fast', { timeoutMs: 10_000 });
    expect(fast).toMatchObject({ code: 0, signal: null, requested: true });
    expect((await pg.controller.controlData()).clusterState).toBe('shut down');

    await pg.controller.start({ timeoutMs: 30_000 });
    const immediate = await pg.controller.stop('immediate', { timeoutMs: 10_000 });
    expect(immediate).toMatchObject({ requested: true });
    // SIGQUIT skips the shutdown checkpoint: the control file still says the cluster is running.
    expect((await pg.controller.controlData()).clusterState).toBe('in production');
    expect(await pg.controller.stop('fast')).toBeNull();

    await pg.controller.start({ timeoutMs: 30_000 });
  });

  it('finds and stops a postmaster left over from an earlier run; ignores a stale pid file; refuses a foreign PID', async () => {
    const abandoned = pg.controller.running()!;
    // A second controller on the same data directory plays the restarted sitter.
    const restarted = createPostgresController({
      dataDir: pg.dataDir, port: pg.port, socketDir: cluster.scratch.path, logFile: pg.logFile, runAs: cluster.runAs,
      clock: pg.node.clock, log: silentLogger(),
    });
    expect(await restarted.findLeftover()).toMatchObject({ kind: 'running', pid: abandoned.pid, port: pg.port, status: 'ready' });
    await expect(restarted.start()).rejects.toSatisfy((error) => isDugongError(error, 'DUGONG_ERR_PG_LEFTOVER'));
    expect(await restarted.stopLeftover('fast', { timeoutMs: 10_000 })).toMatchObject({ kind: 'running', pid: abandoned.pid });
    expect(await abandoned.exited).toMatchObject({ code: 0, requested: false });
    expect(await restarted.findLeftover()).toEqual({ kind: 'none' });

    const pidFile = join(pg.dataDir, 'postmaster.pid');
    const deadPid = spawnSync('true').pid!;
    await writeFile(pidFile, `${deadPid}\n${pg.dataDir}\n0\n${pg.port}\n`);
    expect(await restarted.findLeftover()).toEqual({ kind: 'stale', pid: deadPid, orphans: [] });

    await writeFile(pidFile, `${process.pid}\n${pg.dataDir}\n0\n${pg.port}\n`);
    expect(await restarted.findLeftover()).toMatchObject({ kind: 'foreign', pid: process.pid });
    await expect(restarted.start()).rejects.toThrow(/not postgres/);

    await writeFile(pidFile, `${deadPid}\n${pg.dataDir}\n0\n${pg.port}\n`);
    await pg.controller.start({ timeoutMs: 30_000 });
    expect(await pg.controller.findLeftover()).toMatchObject({ kind: 'running', pid: pg.controller.running()!.pid });
  });

  it('health check: times out against a SIGSTOPped server, fails fast against a stopped one', async () => {
    const { pid } = pg.controller.running()!;
    process.kill(pid, 'SIGSTOP');
    try {
      const hung = await pg.client.checkHealth({ timeoutMs: 500 });
      expect(hung.healthy).toBe(false);
      expect(!hung.healthy && hung.error.code).toBe('DUGONG_ERR_PG_TIMEOUT');
      expect(hung.latencyMs).toBeGreaterThanOrEqual(450);
      expect(hung.latencyMs).toBeLessThan(1_500);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect((await pg.client.checkHealth()).healthy).toBe(true);

    await pg.controller.stop('fast');
    const down = await pg.client.checkHealth({ timeoutMs: 2_000 });
    expect(!down.healthy && down.error.code).toBe('DUGONG_ERR_PG_UNAVAILABLE');
    expect(down.latencyMs).toBeLessThan(500);
    await expect(pg.client.walPositions()).rejects.toSatisfy((error) => isDugongError(error, 'DUGONG_ERR_PG_UNAVAILABLE'));
  });
});

describe('failures name what failed', () => {
  it('initdb into a non-empty directory: COMMAND_FAILED with the command line and its stderr', async () => {
    const instance = await cluster.fromTemplate('occupied');
    const error = await instance.controller.initdb({ fsync: false }).then(() => null, (caught: unknown) => caught);
    expect(isDugongError(error, 'DUGONG_ERR_COMMAND_FAILED')).toBe(true);
    expect(String((error as Error).message)).toMatch(/initdb -D .*occupied.*exists but is not empty/s);
  });

  it('a server that exits during startup: COMMAND_FAILED with its log, nothing left running', async () => {
    const instance = await cluster.fromTemplate('portclash');
    const blocker = await listenOn(instance.port);
    try {
      const error = await instance.controller.start({ timeoutMs: 30_000 }).then(() => null, (caught: unknown) => caught);
      expect(isDugongError(error, 'DUGONG_ERR_COMMAND_FAILED')).toBe(true);
      expect(String((error as Error).message)).toMatch(/postgres -D .*exited during startup \(exit code 1\).*could not create any TCP\/IP sockets/s);
      expect(instance.controller.running()).toBeNull();
    } finally {
      blocker.close();
    }
  });

  it('a conninfo nobody answers: PG_UNAVAILABLE naming the server', async () => {
    const instance = await cluster.fromTemplate('never-started');
    await expect(instance.client.walPositions()).rejects.toThrow(new RegExp(`read WAL positions on ${cluster.scratch.path}:${instance.port} failed`));
  });
});
