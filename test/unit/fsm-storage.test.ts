// Rule 14 driven through decide(): stalled storage makes a primary give up (immediate stop) and a standby leave the election.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FSM_CONFIG, type Action, type ClusterStateData, type PgStatus } from '../../src/fsm/index.js';
import type { ClusterState } from '../../src/schema/index.js';
import { active, Driver, peer } from './fsm-driver.js';

const BUDGET_MS = DEFAULT_FSM_CONFIG.storageStallBudgetMs;

const runningPrimary: PgStatus = {
  running: true, dataRole: 'primary', writable: true, syncStandby: peer(2).id, upstream: null, streaming: false, walLsn: '0/3000060', replayLsn: '0/3000060',
};
const runningAsync: PgStatus = {
  running: true, dataRole: 'standby', writable: false, syncStandby: null, upstream: peer(2).id, streaming: true, walLsn: '0/3000060', replayLsn: '0/3000060',
};

function generation2(changes: Partial<ClusterState> = {}): ClusterStateData {
  const state: ClusterState = { generation: 2, primary: peer(1), sync: peer(2), async: [peer(3)], deposed: [], initWal: '0/3000000', ...changes };
  return { kind: 'present', version: 4, data: state };
}

/** Start with PostgreSQL already running (a restarted sitter), read the state, register. */
function running(driver: Driver, status: PgStatus, cluster: ClusterStateData, registered = active(1, 2, 3)): void {
  driver.feed({ kind: 'start' });
  driver.feed({ kind: 'pgStatus', opId: driver.last('fetchPgStatus').opId, status });
  driver.feed({ kind: 'sessionConnected' });
  driver.feed({ kind: 'coordSnapshot', opId: driver.last('readCoordination').opId, cluster, active: registered });
  driver.feed({ kind: 'registerOk', opId: driver.last('register').opId, seq: 1 });
}

/** Lets time pass to the next probe tick and answers its PostgreSQL probe; returns what the tick and the probe asked for. */
function tick(driver: Driver, afterMs: number, status: PgStatus): Action[] {
  driver.nowMs += afterMs;
  const timer = [...driver.actions].reverse().find((action) => action.kind === 'setTimer' && action.timer === 'tick');
  if (timer?.kind !== 'setTimer') throw new Error('no tick armed');
  const actions = driver.feed({ kind: 'timerFired', timer: 'tick', token: timer.token });
  const probe = actions.find((action) => action.kind === 'fetchPgStatus');
  return probe?.kind === 'fetchPgStatus' ? [...actions, ...driver.feed({ kind: 'pgStatus', opId: probe.opId, status })] : actions;
}

function failCheck(driver: Driver): void {
  driver.feed({ kind: 'storageChecked', opId: driver.last('checkStorage').opId, result: { kind: 'notAnswering', error: 'deadline of 2000 ms passed' } });
}

describe('stalled storage (rule 14)', () => {
  it('checks the storage on probe ticks, one check at a time, at most every storageCheckIntervalMs while it answers', () => {
    const driver = new Driver(peer(1));
    running(driver, runningPrimary, generation2());
    const first = driver.last('checkStorage').opId;
    expect(tick(driver, 1000, runningPrimary).filter((action) => action.kind === 'checkStorage')).toEqual([]);
    driver.feed({ kind: 'storageChecked', opId: first, result: { kind: 'answered' } });
    const checks = (actions: Action[]): Action[] => actions.filter((action) => action.kind === 'checkStorage');
    const intervalMs = DEFAULT_FSM_CONFIG.storageCheckIntervalMs;
    expect(checks(tick(driver, intervalMs - 1, runningPrimary)), 'a fresh answer is good for the interval').toEqual([]);
    expect(checks(tick(driver, 1, runningPrimary))).toHaveLength(1);
    expect(driver.state.storage.lastAnsweredAtMs).toBe(driver.nowMs - intervalMs);
  });

  it('a primary gives up its registration and stops PostgreSQL immediately once its storage has not answered for the budget', () => {
    const driver = new Driver(peer(1));
    running(driver, runningPrimary, generation2());
    failCheck(driver);
    expect(tick(driver, BUDGET_MS - 1000, runningPrimary).some((action) => action.kind === 'unregister')).toBe(false);
    tick(driver, 1000, runningPrimary);
    expect(driver.state.gaveUp).toMatchObject({ generation: 2, cause: 'storageStalled' });
    expect(driver.actions).toContainEqual(expect.objectContaining({
      kind: 'log', sentence: `Gave up my registration at generation 2: my storage has not answered for 5 s, so my sync ${peer(2).id} can take over now; stopping PostgreSQL at once (immediate shutdown).`,
    }));
    expect(driver.last('unregister')).toBeDefined();
    driver.feed({ kind: 'unregisterOk', opId: driver.last('unregister').opId });
    expect(driver.last('stopPg')).toMatchObject({ mode: 'immediate' });
    expect(driver.state.waitingCode).toBe('gave-up-storage');
  });

  it('a primary whose sync could not take over stays, and says why', () => {
    const driver = new Driver(peer(1));
    running(driver, runningPrimary, generation2(), active(1, 2));
    failCheck(driver);
    tick(driver, BUDGET_MS, runningPrimary);
    expect(driver.state.gaveUp).toBeNull();
    expect(driver.actions.some((action) => action.kind === 'unregister' || action.kind === 'stopPg')).toBe(false);
    expect(driver.state.waitingCode).toBe('storage-stalled-no-give-up');
    expect(driver.state.waitingReason).toBe('My storage has not answered for 5 s, but giving up would not help (no async is present, so my sync could not take over): staying primary.');
  });

  it('a standby leaves the election while its storage is stalled and registers again once it answers', () => {
    const driver = new Driver(peer(3));
    running(driver, runningAsync, generation2());
    failCheck(driver);
    tick(driver, BUDGET_MS, runningAsync);
    expect(driver.last('unregister')).toBeDefined();
    expect(driver.state.waitingCode).toBe('storage-stalled');
    expect(driver.state.waitingReason).toBe('My storage has not answered for 5 s: out of the election so that I am not chosen as the new sync, until it answers again.');
    driver.feed({ kind: 'unregisterOk', opId: driver.last('unregister').opId });
    const answered = driver.feed({ kind: 'storageChecked', opId: 999, result: { kind: 'answered' } });
    expect(answered).toContainEqual(expect.objectContaining({ kind: 'log', sentence: 'My storage answers again after 5 s without an answer.' }));
    expect(answered.some((action) => action.kind === 'register' || action.kind === 'readCoordination')).toBe(true);
    expect(driver.state.waitingCode).not.toBe('storage-stalled');
  });
});
