// Synchronous replication against real PostgreSQL 15: a commit waits for the sync standby's flush; writes off/on; catch-up.
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDugongError } from '../../src/errors.js';
import { applyRoleSettings, READ_ONLY_TRANSACTION_SQLSTATE, sqlStateOf, waitForCatchUp } from '../../src/pg/index.js';
import { compareLsn } from '../../src/schema/lsn.js';
import { PgCluster, type PgInstance } from '../helpers/postgres.js';
import { trackPid, untrackPid } from '../helpers/processes.js';

let cluster: PgCluster;
let primary: PgInstance;
let standby: PgInstance;

beforeAll(async () => {
  cluster = await PgCluster.create('replication');
  primary = await cluster.primary('primary');
  standby = await cluster.standby('standby', primary);
  await cluster.makeSync(primary, standby);
  await primary.client.query('CREATE TABLE marks (id serial PRIMARY KEY, note text)');
});

afterAll(async () => {
  await cluster?.cleanup();
});

/** SIGSTOPs the standby's walreceiver: it stays connected but neither flushes nor acknowledges WAL. Returns the resume. */
async function pauseWalReceiver(): Promise<() => void> {
  const receiver = await standby.client.walReceiver();
  expect(receiver).not.toBeNull();
  const { pid } = receiver!;
  // Tracked while paused: if the worker dies, its exit hook kills it, or it would outlive its killed postmaster stopped.
  trackPid(pid, 'paused walreceiver');
  process.kill(pid, 'SIGSTOP');
  return () => {
    process.kill(pid, 'SIGCONT');
    untrackPid(pid);
  };
}

/** Whether `promise` is still pending after waitMs. */
async function pendingAfter(promise: Promise<unknown>, waitMs: number): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await delay(waitMs);
  return !settled;
}

async function backendWaitEvent(note: string): Promise<{ pid: number; wait_event: string }[]> {
  const { rows } = await primary.client.query<{ pid: number; wait_event: string }>(
    "SELECT pid, wait_event FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active'",
    [`INSERT INTO marks (note) VALUES ('${note}')%`],
  );
  return rows;
}

async function rowsOn(instance: PgInstance, note: string): Promise<number> {
  const { rows } = await instance.client.query<{ n: number }>('SELECT count(*)::int AS n FROM marks WHERE note = $1', [note]);
  return rows[0]?.n ?? -1;
}

describe('synchronous replication', () => {
  it('the sync standby streams, is listed as sync, and has caught up (sent = flushed)', async () => {
    const status = await waitForCatchUp(primary.node, standby.applicationName, { timeoutMs: 10_000 });
    expect(status.row).toMatchObject({ applicationName: standby.applicationName, state: 'streaming', syncState: 'sync' });
    expect(compareLsn(status.row!.flushLsn!, status.row!.sentLsn!)).toBe(0);

    const [onPrimary, onStandby] = await Promise.all([primary.client.walPositions(), standby.client.walPositions()]);
    expect(onPrimary).toMatchObject({ inRecovery: false, timeline: 1, timelineSource: 'insert', replayed: null });
    expect(onStandby).toMatchObject({ inRecovery: true, current: null, timeline: 1, timelineSource: 'receiver' });
    expect(compareLsn(onPrimary.current!, onStandby.replayed!)).toBeGreaterThanOrEqual(0);
  });

  it('a commit waits until the sync standby has flushed it', async () => {
    const resume = await pauseWalReceiver();
    let insert: Promise<unknown>;
    try {
      insert = primary.client.query("INSERT INTO marks (note) VALUES ('waits')", [], { timeoutMs: 30_000 });
      expect(await pendingAfter(insert, 1_000)).toBe(true);
      expect(await backendWaitEvent('waits')).toEqual([{ pid: expect.any(Number), wait_event: 'SyncRep' }]);
      expect((await primary.client.catchUp(standby.applicationName)).caughtUp).toBe(false);
    } finally {
      resume();
    }
    // Resumed: the pending commit completes and the row is on the standby.
    await insert;
    await waitForCatchUp(primary.node, standby.applicationName, { timeoutMs: 10_000 });
    expect(await rowsOn(standby, 'waits')).toBe(1);
  });

  it('statement_timeout does not bound the wait for the sync; a cancel ends it with a WARNING, committed locally', async () => {
    const resume = await pauseWalReceiver();
    try {
      const insert = primary.client.query("INSERT INTO marks (note) VALUES ('cancelled')", [], { timeoutMs: 20_000, statementTimeoutMs: 200 });
      // PostgreSQL disarms statement_timeout before it commits: the wait for the sync is not a statement.
      expect(await pendingAfter(insert, 1_000)).toBe(true);
      const [waiting] = await backendWaitEvent('cancelled');
      await primary.client.query('SELECT pg_cancel_backend($1)', [waiting!.pid]);
      const outcome = await insert;
      expect(outcome.notices.join('\n')).toMatch(/canceling wait for synchronous replication due to user request/);
      // The client was told "done" although only the primary has the row: rule 6 holds for clients that do not cancel.
      expect(await rowsOn(primary, 'cancelled')).toBe(1);
      expect(await rowsOn(standby, 'cancelled')).toBe(0);
    } finally {
      resume();
    }
    await waitForCatchUp(primary.node, standby.applicationName, { timeoutMs: 10_000 });
    expect(await rowsOn(standby, 'cancelled')).toBe(1);
  });

  it('writes off: an INSERT fails as read-only; writes on: it succeeds (by reload)', async () => {
    await applyRoleSettings(primary.node, { writable: false, syncStandbyName: standby.applicationName, upstream: null });
    const error = await primary.client.query("INSERT INTO marks (note) VALUES ('refused')").then(() => null, (caught: unknown) => caught);
    expect(isDugongError(error, 'DUGONG_ERR_PG_QUERY_FAILED')).toBe(true);
    expect(sqlStateOf(error)).toBe(READ_ONLY_TRANSACTION_SQLSTATE);
    expect(String((error as Error).message)).toMatch(/cannot execute INSERT in a read-only transaction.*query: INSERT INTO marks/);

    await applyRoleSettings(primary.node, { writable: true, syncStandbyName: standby.applicationName, upstream: null });
    await primary.client.query("INSERT INTO marks (note) VALUES ('accepted')");
    expect(await rowsOn(primary, 'accepted')).toBe(1);
    expect(await rowsOn(primary, 'refused')).toBe(0);
  });

  it('writes off also ends transactions opened before, and reaches sessions that were idle', async () => {
    const settings = { writable: true, syncStandbyName: standby.applicationName, upstream: null };
    const inTransaction = new Client(primary.tcpTarget);
    const idle = new Client(primary.tcpTarget);
    inTransaction.on('error', () => undefined);
    await Promise.all([inTransaction.connect(), idle.connect()]);
    try {
      await inTransaction.query('BEGIN');
      await inTransaction.query("INSERT INTO marks (note) VALUES ('open before')");
      await applyRoleSettings(primary.node, { ...settings, writable: false });
      await expect(inTransaction.query('COMMIT')).rejects.toThrow(/terminat|connection error/);
      await expect(idle.query("INSERT INTO marks (note) VALUES ('idle before')")).rejects.toThrow(/read-only transaction/);
      expect(await rowsOn(primary, 'open before')).toBe(0);
    } finally {
      await applyRoleSettings(primary.node, settings);
      await Promise.all([inTransaction.end().catch(() => undefined), idle.end()]);
    }
  });

  it("values in dugong.conf survive PostgreSQL's own conf parser (quotes, backslashes, line breaks)", async () => {
    const tricky = "it's a \\ path\nsecond line";
    const settings = { writable: true, syncStandbyName: standby.applicationName, upstream: null };
    await applyRoleSettings(primary.node, { ...settings, extra: { 'dugong.note': tricky } });
    expect((await primary.client.settings(['dugong.note'])).get('dugong.note')).toBe(tricky);
    await applyRoleSettings(primary.node, settings);
  });

  it('a stopped sync is not caught up; once restarted it catches up again', async () => {
    await standby.controller.stop('fast', { timeoutMs: 10_000 });
    const status = await primary.client.catchUp(standby.applicationName);
    expect(status).toMatchObject({ caughtUp: false, row: null });
    expect(status.reason).toMatch(/not connected/);
    await standby.controller.start({ timeoutMs: 30_000 });
    await waitForCatchUp(primary.node, standby.applicationName, { timeoutMs: 15_000 });
  });
});
