// dugong-adm's pure parts: the chain rows, the problems verify and show report, and the text of show and pg-status.
import { describe, expect, it } from 'vitest';
import { chainRows } from '../../src/adm/chain.js';
import { findShardProblems, hasErrors } from '../../src/adm/findings.js';
import { formatPgStatus } from '../../src/adm/format-pg-status.js';
import { formatShow, showJson } from '../../src/adm/format-show.js';
import type { PgProbe } from '../../src/adm/pg-probe.js';
import type { ShardSnapshot } from '../../src/adm/snapshot.js';
import { formatBytes, renderTable } from '../../src/adm/table.js';
import { applicationNameForPeer, type ReplicationRow } from '../../src/pg/index.js';
import type { ClusterState, Peer } from '../../src/schema/index.js';
import { activeOf, baseState, P1, P2, P3, P4, upProbe } from './adm-fakes.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');

function row(standby: Peer, syncState: string, lsn = '0/3000100', state = 'streaming'): ReplicationRow {
  return { pid: 1, applicationName: applicationNameForPeer(standby.id), clientAddr: null, state, sentLsn: '0/3000200', writeLsn: lsn, flushLsn: lsn, replayLsn: lsn, syncState };
}

function receiverFrom(upstream: Peer): Extract<PgProbe, { kind: 'up' }>['receiver'] {
  const port = Number(upstream.pgUrl.split(':')[2]?.split('/')[0]);
  return { pid: 2, status: 'streaming', senderHost: upstream.ip, senderPort: port, receivedTimeline: 1, flushedLsn: '0/3000100', conninfo: null };
}

function healthyProbes(): Map<string, PgProbe> {
  return new Map<string, PgProbe>([
    [P1.id, upProbe({ inRecovery: false, currentLsn: '0/3000200', replayLsn: null, readOnly: false, syncStandbyNames: `"${applicationNameForPeer(P2.id)}"`, replication: [row(P2, 'sync')] })],
    [P2.id, upProbe({ replayLsn: '0/3000100', replication: [row(P3, 'async', '0/3000000')], receiver: receiverFrom(P1) })],
    [P3.id, upProbe({ replayLsn: '0/3000000', receiver: receiverFrom(P2) })],
  ]);
}

function snapshot(state: ClusterState | null, probes = healthyProbes(), active = activeOf(P1, P2, P3)): ShardSnapshot {
  return { connectString: '10.0.0.9:2181', shardPath: '/dugong/test', read: state === null ? { kind: 'absent' } : { kind: 'valid', state, version: 4 }, active, probes };
}

describe('chain rows', () => {
  it('orders primary, sync, asyncs, deposed; takes each standby from its upstream and measures lag from the primary', () => {
    const rows = chainRows(baseState({ deposed: [P4] }), activeOf(P1, P2, P3), healthyProbes());
    expect(rows.map((r) => [r.role, r.peer.id, r.upstream?.id ?? null])).toEqual([
      ['primary', P1.id, null], ['sync', P2.id, P1.id], ['async', P3.id, P2.id], ['deposed', P4.id, null],
    ]);
    expect(rows.map((r) => r.lagBytes)).toEqual([null, 0x100, 0x200, null]);
    expect(rows[1]?.replication?.syncState).toBe('sync');
    expect(rows[3]?.registered).toBe(false);
  });
});

describe('problems (show) and checks (verify)', () => {
  it('finds nothing wrong with a healthy chain', () => {
    expect(findShardProblems(snapshot(baseState()), NOW)).toEqual([]);
  });

  it('reports a stopped standby, its missing walsender and an unregistered peer as errors', () => {
    const probes = healthyProbes();
    probes.set(P3.id, { kind: 'down', error: 'connect ECONNREFUSED' });
    probes.set(P2.id, upProbe({ replication: [], receiver: receiverFrom(P1) }));
    const findings = findShardProblems(snapshot(baseState(), probes, activeOf(P1, P2)), NOW);
    expect(hasErrors(findings)).toBe(true);
    const text = findings.map((f) => `${f.severity}: ${f.message}`).join('\n');
    expect(text).toContain(`error: async ${P3.id} is in the cluster state but not registered`);
    expect(text).toContain(`error: async ${P3.id}: PostgreSQL is not reachable`);
    expect(text).toContain(`not streaming from its upstream ${P2.id}`);
  });

  it('reports a sync the primary does not count as synchronous, and a standby streaming from the wrong peer', () => {
    const probes = healthyProbes();
    probes.set(P1.id, upProbe({ inRecovery: false, currentLsn: '0/3000200', readOnly: false, syncStandbyNames: '', replication: [row(P2, 'async')] }));
    probes.set(P3.id, upProbe({ receiver: receiverFrom(P1) }));
    const messages = findShardProblems(snapshot(baseState(), probes), NOW).map((f) => f.message).join('\n');
    expect(messages).toMatch(/sync_state=async: commits do not wait for it/);
    expect(messages).toMatch(/synchronous_standby_names is ""/);
    expect(messages).toContain(`streams from 10.0.0.1:5432, its upstream is ${P2.id}`);
  });

  it('warns about deposed peers, freeze, a newcomer, a missing async and a stale promote request', () => {
    const state = baseState({ async: [], deposed: [P3], freeze: { date: '2030-01-01T00:00:00Z', reason: 'upgrade' }, promote: { id: P2.id, role: 'sync', generation: 2, expireTime: '2029-12-31T00:00:00Z' } });
    const findings = findShardProblems(snapshot(state, healthyProbes(), activeOf(P1, P2, P4)), NOW);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
    const text = findings.map((f) => f.message).join('\n');
    expect(text).toContain(`${P3.id} is deposed: it is not registered: \`dugong-adm reap\``);
    expect(text).toContain('frozen since 2030-01-01T00:00:00Z (upgrade)');
    expect(text).toContain(`${P4.id} is registered but not in the cluster state`);
    expect(text).toContain('no async');
    expect(text).toContain('no longer applies');
  });

  it('calls a standby in recovery whose WAL receiver does not stream an error, with a stable code, in show too', () => {
    const probes = healthyProbes();
    const receiver = receiverFrom(P2);
    probes.set(P3.id, upProbe({ receiver: receiver === null ? null : { ...receiver, status: 'waiting' } }));
    probes.set(P2.id, upProbe({ replication: [row(P3, 'async', '0/3000000')], receiver: null }));
    const findings = findShardProblems(snapshot(baseState(), probes), NOW);
    expect(findings.filter((f) => f.code === 'DUGONG_ERR_STANDBY_NOT_STREAMING').map((f) => [f.severity, f.message])).toEqual([
      ['error', `peer ${P2.id} is a standby (sync) but is not streaming from its upstream ${P1.id} (no WAL receiver runs)`],
      ['error', `peer ${P3.id} is a standby (async) but is not streaming from its upstream ${P2.id} (its WAL receiver is waiting)`],
    ]);
    const lines = formatShow(snapshot(baseState(), probes), findings);
    expect(lines).toContain(`  error: peer ${P3.id} is a standby (async) but is not streaming from its upstream ${P2.id} (its WAL receiver is waiting) [DUGONG_ERR_STANDBY_NOT_STREAMING]`);
  });

  it('calls a missing or invalid state an error', () => {
    expect(findShardProblems(snapshot(null), NOW)[0]?.message).toMatch(/no cluster state at \/dugong\/test\/state/);
    const invalid: ShardSnapshot = { ...snapshot(null), read: { kind: 'invalid', problems: ['generation: expected number'], version: 1, raw: '{}' } };
    expect(hasErrors(findShardProblems(invalid, NOW))).toBe(true);
  });
});

describe('show and pg-status text', () => {
  it('prints the header, the peer table and the problems', () => {
    const state = baseState({ freeze: { date: '2030-01-01T00:00:00Z', reason: 'upgrade' } });
    const lines = formatShow(snapshot(state), findShardProblems(snapshot(state), NOW));
    expect(lines.slice(0, 6)).toEqual([
      'zookeeper:   10.0.0.9:2181',
      'shard:       /dugong/test',
      'generation:  3 (initWal 0/3000000)',
      'mode:        normal',
      'freeze:      frozen since 2030-01-01T00:00:00Z: upgrade',
      'promote:     none',
    ]);
    expect(lines[7]).toMatch(/^ROLE +PEER +PG-URL +REPL-STATE +LAG$/);
    expect(lines[9]).toMatch(/^sync +10\.0\.0\.2:5442:10012 +tcp:\/\/postgres@10\.0\.0\.2:5442\/postgres +streaming\/sync +256$/);
    expect(lines.at(-1)).toMatch(/^ {2}warning: frozen since/);
  });

  it('says singleton mode', () => {
    const state = baseState({ sync: null, async: [], oneNodeWriteMode: true });
    const json = showJson(snapshot(state), []) as { mode: string };
    expect(json.mode).toBe('singleton');
    expect(formatShow(snapshot(state), [])[3]).toMatch(/^mode: +singleton/);
  });

  it('lists pg-status in chain order with ok/down, upstream replication state, positions and lag in bytes', () => {
    const probes = healthyProbes();
    probes.set(P3.id, { kind: 'down', error: 'refused' });
    const lines = formatPgStatus(snapshot(baseState(), probes));
    expect(lines[0]).toMatch(/^ROLE +PEER +PG +REPL +SENT +FLUSH +REPLAY +LAG$/);
    expect(lines[1]).toMatch(/^primary +10\.0\.0\.1:5432:10002 +ok +- +- +- +- +-$/);
    expect(lines[2]).toMatch(/^sync +10\.0\.0\.2:5442:10012 +ok +streaming\/sync +0\/3000200 +0\/3000100 +0\/3000100 +256$/);
    expect(lines[3]).toMatch(/^async +10\.0\.0\.3:5452:10022 +down +streaming\/async +0\/3000200 +0\/3000000 +0\/3000000 +512$/);
  });
});

describe('table helpers', () => {
  it('pads every column but the last and formats byte counts', () => {
    expect(renderTable(['A', 'BB'], [['xxx', 'y'], ['', '']])).toEqual(['A    BB', 'xxx  y', '']);
    expect([formatBytes(null), formatBytes(512), formatBytes(16 * 1024 * 1024)]).toEqual(['-', '512 B', '16.0 MiB']);
  });
});
