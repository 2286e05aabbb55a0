// The problems of GET /state: plain sentences with stable codes, e.g. a standby that is not streaming from its upstream.
import { describe, expect, it } from 'vitest';
import { statusProblems, type ProblemInputs } from '../../src/http/status-problems.js';
import type { PgHealthSnapshot } from '../../src/http/status-snapshot.js';

const SELF = '127.0.0.1:5452:5454';
const UPSTREAM = '127.0.0.1:5442:5444';

function standbyPg(overrides: Partial<PgHealthSnapshot> = {}): PgHealthSnapshot {
  return {
    running: true, healthy: true, error: null, lastCheck: '2030-01-01T00:00:05.000Z', inRecovery: true, writable: false,
    currentLsn: null, receiveLsn: '0/3000000', replayLsn: '0/30247B8', lagBytes: null,
    streaming: false, walReceiver: 'waiting', notStreamingSince: '2030-01-01T00:00:00.000Z', ...overrides,
  };
}

function inputs(overrides: Partial<ProblemInputs> = {}): ProblemInputs {
  return { self: SELF, role: 'async', upstream: UPSTREAM, pg: standbyPg(), ...overrides };
}

describe('status problems', () => {
  it('says when a standby is not streaming from its upstream, since when, and what its WAL receiver does', () => {
    expect(statusProblems(inputs())).toEqual([{
      code: 'DUGONG_ERR_STANDBY_NOT_STREAMING',
      message: `peer ${SELF} is a standby (async) but is not streaming from its upstream ${UPSTREAM} since 2030-01-01T00:00:00.000Z (WAL receiver waiting)`,
    }]);
    const sync = statusProblems(inputs({ role: 'sync', upstream: null, pg: standbyPg({ walReceiver: null, notStreamingSince: null }) }));
    expect(sync.map((p) => p.message)).toEqual([`peer ${SELF} is a standby (sync) but is not streaming from its upstream (no WAL receiver running)`]);
  });

  it('finds nothing for a streaming standby, a primary, a deposed peer or a PostgreSQL that is down', () => {
    expect(statusProblems(inputs({ pg: standbyPg({ streaming: true, walReceiver: 'streaming', notStreamingSince: null }) }))).toEqual([]);
    expect(statusProblems(inputs({ role: 'primary', upstream: null, pg: standbyPg({ inRecovery: false, streaming: null }) }))).toEqual([]);
    expect(statusProblems(inputs({ role: 'deposed' }))).toEqual([]);
    expect(statusProblems(inputs({ pg: standbyPg({ healthy: false, inRecovery: null, streaming: null }) }))).toEqual([]);
  });
});
