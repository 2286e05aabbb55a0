// A primary's PostgreSQL that this process has never seen running is being started, not restarted after a crash.
import { describe, expect, it } from 'vitest';
import type { PgStatus } from '../../src/fsm/index.js';
import { active, connected, Driver, peer } from './fsm-driver.js';

const generationOne = { generation: 1, primary: peer(1), sync: peer(2), async: [peer(3)], deposed: [], initWal: '0/0' };

const runningPrimary: PgStatus = {
  running: true,
  dataRole: 'primary',
  writable: false,
  syncStandby: peer(2).id,
  upstream: null,
  streaming: false,
  walLsn: '0/3000000',
  replayLsn: '0/3000000',
};

function sentences(driver: Driver): string[] {
  return driver.actions.flatMap((action) => (action.kind === 'log' ? [action.sentence] : []));
}

describe('primary PostgreSQL not running', () => {
  it('says it is starting PostgreSQL at the first start, and that it crashed only after it was seen running', () => {
    const driver = new Driver(peer(1));
    connected(driver, active(1, 2, 3), { kind: 'present', version: 0, data: generationOne });
    expect(driver.state.role).toBe('primary');
    expect(driver.state.waitingReason).toBe('Starting PostgreSQL as primary of generation 1.');
    expect(sentences(driver).filter((sentence) => sentence.startsWith('My PostgreSQL is down'))).toEqual([]);

    driver.feed({ kind: 'pgOpOk', opId: driver.last('startPg').opId });
    driver.feed({ kind: 'pgStatus', opId: driver.last('fetchPgStatus').opId, status: runningPrimary });
    expect(driver.state.pg.seenRunning).toBe(true);
    driver.feed({ kind: 'pgStatus', opId: null, status: { ...runningPrimary, running: false } });
    expect(driver.state.waitingReason).toBe('My PostgreSQL is down: restarting it (restart budget 5000 ms).');
    expect(sentences(driver)).toContain('My PostgreSQL is down: restarting it (restart budget 5000 ms).');
  });
});
