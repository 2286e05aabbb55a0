// Parsers and pure decisions of the PostgreSQL driver: postmaster.pid, pg_controldata, timeline history, catch-up, pg_hba.
import { describe, expect, it } from 'vitest';
import { parseControlData } from '../../src/pg/controldata.js';
import { renderHba } from '../../src/pg/hba.js';
import { lsnOrNull, timelineFromWalFileName } from '../../src/pg/lsn-values.js';
import { parsePostmasterPid } from '../../src/pg/pidfile.js';
import { catchUpStatus, type ReplicationRow } from '../../src/pg/replication.js';
import { parseTimelineHistory, timelineHistoryFileName } from '../../src/pg/timeline-history.js';

describe('postmaster.pid', () => {
  it('reads PID, data directory, port, socket directory and status', () => {
    const text = '4242\n/data/pg\n1763784000\n5432\n/tmp\n127.0.0.1\n  1234567     98304\nready   \n';
    expect(parsePostmasterPid(text)).toEqual({ pid: 4242, dataDir: '/data/pg', port: 5432, socketDir: '/tmp', status: 'ready' });
  });

  it('tolerates a file still being written and rejects garbage', () => {
    expect(parsePostmasterPid('4242\n/data/pg\n')).toEqual({ pid: 4242, dataDir: '/data/pg', port: null, socketDir: null, status: null });
    expect(parsePostmasterPid('')).toBeNull();
    expect(parsePostmasterPid('-1\n')).toBeNull();
  });
});

describe('pg_controldata', () => {
  it('extracts state, checkpoint positions and timeline', () => {
    const text = [
      'pg_control version number:            1300',
      'Database cluster state:               shut down in recovery',
      'Latest checkpoint location:           0/4015F78',
      "Latest checkpoint's REDO location:    0/4015F40",
      "Latest checkpoint's TimeLineID:       2",
      'Minimum recovery ending location:     0/4016038',
    ].join('\n');
    expect(parseControlData(text)).toMatchObject({
      clusterState: 'shut down in recovery', checkpointLsn: '0/4015F78', redoLsn: '0/4015F40', checkpointTimeline: 2, minRecoveryEndLsn: '0/4016038',
    });
    expect(() => parseControlData('nothing useful')).toThrow(/Database cluster state/);
  });
});

describe('timeline history and WAL names', () => {
  it('parses switch points and names history files in hex', () => {
    const text = '1\t0/4015FF0\tno recovery target specified\n\n2\t1/A0000000\tbefore 2026-01-01\n';
    expect(parseTimelineHistory(text)).toEqual([
      { parentTimeline: 1, switchLsn: '0/4015FF0', reason: 'no recovery target specified' },
      { parentTimeline: 2, switchLsn: '1/A0000000', reason: 'before 2026-01-01' },
    ]);
    expect(() => parseTimelineHistory('x\tnot-an-lsn\n')).toThrow(/DUGONG_ERR_WAL_INVALID/);
    expect(timelineHistoryFileName(2)).toBe('00000002.history');
    expect(timelineHistoryFileName(26)).toBe('0000001A.history');
  });

  it('takes the timeline from a WAL file name and validates positions', () => {
    expect(timelineFromWalFileName('0000000A0000000000000004')).toBe(10);
    expect(() => timelineFromWalFileName('bogus')).toThrow(/DUGONG_ERR_WAL_INVALID/);
    expect(lsnOrNull(null, 'x')).toBeNull();
    expect(lsnOrNull('16/B374D848', 'x')).toBe('16/B374D848');
    expect(() => lsnOrNull('16-B374D848', 'x')).toThrow(/DUGONG_ERR_WAL_INVALID/);
  });
});

describe('catch-up (rule 6)', () => {
  const row = (overrides: Partial<ReplicationRow>): ReplicationRow => ({
    pid: 1, applicationName: 'peer_b', clientAddr: '10.0.0.2', state: 'streaming',
    sentLsn: '1/0', writeLsn: '1/0', flushLsn: '1/0', replayLsn: '0/FFFFFF00', syncState: 'sync', ...overrides,
  });

  it('is caught up when streaming with flush = sent', () => {
    expect(catchUpStatus([row({})], 'peer_b')).toMatchObject({ caughtUp: true, reason: 'caught up' });
  });

  it('compares both halves of the position: 0/FFFFFFFF is behind 1/0', () => {
    const status = catchUpStatus([row({ flushLsn: '0/FFFFFFFF' })], 'peer_b');
    expect(status).toMatchObject({ caughtUp: false, reason: 'standby peer_b flushed 0/FFFFFFFF of 1/0 sent' });
  });

  it('is not caught up when absent, not streaming, or without positions; a reconnecting duplicate does not hide the live row', () => {
    expect(catchUpStatus([], 'peer_b').reason).toBe('standby peer_b is not connected');
    expect(catchUpStatus([row({ state: 'catchup' })], 'peer_b').reason).toBe('standby peer_b is in state catchup');
    expect(catchUpStatus([row({ flushLsn: null })], 'peer_b').caughtUp).toBe(false);
    expect(catchUpStatus([row({ applicationName: 'peer_c' })], 'peer_b').caughtUp).toBe(false);
    expect(catchUpStatus([row({ pid: 2, state: 'startup' }), row({})], 'peer_b').caughtUp).toBe(true);
  });
});

describe('pg_hba.conf', () => {
  it('lets clients and the replication user in from the given networks with the given method', () => {
    const text = renderHba({ authMethod: 'scram-sha-256', replicationUser: 'replicator', replicationNetworks: ['10.0.0.0/24', '10.0.0.0/24'], clientNetworks: ['127.0.0.1/32'] });
    const rows = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => line.split(/\s+/));
    expect(rows).toEqual([
      ['local', 'all', 'all', 'scram-sha-256'],
      ['local', 'replication', 'replicator', 'scram-sha-256'],
      ['host', 'all', 'all', '127.0.0.1/32', 'scram-sha-256'],
      ['host', 'replication', 'replicator', '10.0.0.0/24', 'scram-sha-256'],
    ]);
  });

  it('refuses anything that would change the meaning of a line', () => {
    const base = { authMethod: 'trust' as const, replicationUser: 'postgres', clientNetworks: [] };
    expect(() => renderHba({ ...base, replicationNetworks: ['10.0.0.0/8 trust #'] })).toThrow(RangeError);
    expect(() => renderHba({ ...base, replicationNetworks: [], replicationUser: 'all\nhost' })).toThrow(RangeError);
  });
});
