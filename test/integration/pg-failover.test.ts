// Failover mechanics against real PostgreSQL 15: re-pointing a standby by reload, pg_promote(), WAL positions across a timeline switch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyRoleSettings, promoteToPrimary, READ_ONLY_TRANSACTION_SQLSTATE, sqlStateOf, waitForCatchUp, waitForUpstream,
  type WalPositions,
} from '../../src/pg/index.js';
import { compareLsn, type Lsn } from '../../src/schema/lsn.js';
import { PgCluster, type PgInstance } from '../helpers/postgres.js';

// Manatee's chain: primary → sync → async.
let cluster: PgCluster;
let primary: PgInstance;
let sync: PgInstance;
let async0: PgInstance;

beforeAll(async () => {
  cluster = await PgCluster.create('failover');
  primary = await cluster.primary('primary');
  sync = await cluster.standby('sync', primary);
  await cluster.makeSync(primary, sync);
  async0 = await cluster.standby('async0', sync);
  await primary.client.query('CREATE TABLE marks (id serial PRIMARY KEY, note text)');
});

afterAll(async () => {
  await cluster?.cleanup();
});

async function postmasterStart(instance: PgInstance): Promise<string> {
  const { rows } = await instance.client.query<{ started: string }>('SELECT pg_postmaster_start_time()::text AS started');
  return rows[0]!.started;
}

async function waitForRow(instance: PgInstance, note: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const { rows } = await instance.client.query<{ n: number }>('SELECT count(*)::int AS n FROM marks WHERE note = $1', [note]);
    if (rows[0]?.n === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`row ${note} never reached ${instance.name}`);
}

describe('standby upstream change by reload', () => {
  it('re-points a standby to another upstream and back without restarting it', async () => {
    const pidBefore = async0.controller.running()!.pid;
    const startedBefore = await postmasterStart(async0);

    // A quoted conninfo value (never read: trust auth needs no password) shows that libpq parsed our quoting.
    const passfile = "/nonexistent/dir with space/it's";
    const toPrimary = { ...primary.upstreamFor(async0.applicationName), extraConninfo: { passfile } };
    await applyRoleSettings(async0.node, { writable: false, syncStandbyName: null, upstream: toPrimary });
    const receiver = await waitForUpstream(async0.node, toPrimary, { timeoutMs: 10_000 });
    expect(receiver).toMatchObject({ status: 'streaming', senderHost: '127.0.0.1', senderPort: primary.port });
    expect(receiver.conninfo).toContain(`passfile=${passfile} `);
    expect(receiver.conninfo).toContain(`application_name=${async0.applicationName} `);
    expect((await primary.client.replication()).map((row) => row.applicationName)).toContain(async0.applicationName);
    await primary.client.query("INSERT INTO marks (note) VALUES ('via primary')");
    await waitForRow(async0, 'via primary');

    const toSync = sync.upstreamFor(async0.applicationName);
    await applyRoleSettings(async0.node, { writable: false, syncStandbyName: null, upstream: toSync });
    await waitForUpstream(async0.node, toSync, { timeoutMs: 10_000 });

    expect(async0.controller.running()!.pid).toBe(pidBefore);
    expect(await postmasterStart(async0)).toBe(startedBefore);
  });
});

describe('promotion', () => {
  let lastOnOldTimeline: Lsn;
  let syncBefore: WalPositions;
  let promoted: WalPositions;

  beforeAll(async () => {
    await primary.client.query("INSERT INTO marks (note) VALUES ('before failover')");
    lastOnOldTimeline = (await primary.client.walPositions()).current!;
    await waitForCatchUp(primary.node, sync.applicationName, { timeoutMs: 10_000 });
    // The primary is lost.
    await primary.controller.stop('immediate', { timeoutMs: 10_000 });
    syncBefore = await sync.client.walPositions();
    promoted = await promoteToPrimary(sync.node, { syncStandbyName: async0.applicationName, timeoutMs: 10_000 });
  });

  it('the old sync replayed everything the primary acknowledged, on timeline 1', () => {
    expect(syncBefore).toMatchObject({ inRecovery: true, timeline: 1 });
    expect(compareLsn(syncBefore.replayed!, lastOnOldTimeline)).toBeGreaterThanOrEqual(0);
  });

  it('pg_promote() moves it to timeline 2, with positions that order after every position of timeline 1', async () => {
    expect(promoted).toMatchObject({ inRecovery: false, timeline: 2, timelineSource: 'insert' });
    expect(compareLsn(promoted.current!, syncBefore.replayed!)).toBeGreaterThan(0);
    expect(compareLsn(promoted.current!, lastOnOldTimeline)).toBeGreaterThan(0);
    const [switchPoint] = await sync.client.timelineHistory(2);
    expect(switchPoint).toMatchObject({ parentTimeline: 1 });
    // Timeline 2 forks exactly where replay ended: everything before it is shared history.
    expect(compareLsn(switchPoint!.switchLsn, syncBefore.replayed!)).toBe(0);
    expect(compareLsn(switchPoint!.switchLsn, promoted.current!)).toBeLessThan(0);
    // The promotion's checkpoint is spread over minutes, so the control file still names timeline 1: that is why
    // walPositions() takes the timeline from the insert position (primary) or the walreceiver (standby) instead.
    expect((await sync.controller.controlData()).checkpointTimeline).toBe(1);
    expect(await sync.client.timelineHistory(1)).toEqual([]);
  });

  it('the cascaded async follows the new timeline without being reconfigured', async () => {
    const receiver = await waitForUpstream(async0.node, sync.upstreamFor(async0.applicationName), { timeoutMs: 10_000 });
    for (let attempt = 0; attempt < 200 && (await async0.client.walPositions()).timeline !== 2; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(receiver.senderPort).toBe(sync.port);
    expect(await async0.client.walPositions()).toMatchObject({ inRecovery: true, timeline: 2, timelineSource: 'receiver' });
  });

  it('the new primary is read-only until its sync has caught up, then takes writes that reach the sync', async () => {
    const refused = await sync.client.query("INSERT INTO marks (note) VALUES ('too early')").then(() => null, (error: unknown) => error);
    expect(sqlStateOf(refused)).toBe(READ_ONLY_TRANSACTION_SQLSTATE);

    const status = await waitForCatchUp(sync.node, async0.applicationName, { timeoutMs: 10_000 });
    expect(status.row).toMatchObject({ syncState: 'sync', state: 'streaming' });
    await applyRoleSettings(sync.node, { writable: true, syncStandbyName: async0.applicationName, upstream: null });
    await sync.client.query("INSERT INTO marks (note) VALUES ('after failover')");
    await waitForRow(async0, 'after failover');
    await waitForRow(async0, 'before failover');
    expect(await sync.client.promote({ timeoutMs: 5_000 })).toBe('already-primary');
  });
});
