// PURE: `show` as text and as JSON: the shard header, the peer table (ROLE PEER PG-URL REPL-STATE LAG), the problems.
import type { ClusterState } from '../schema/index.js';
import { chainRows, type ChainRow } from './chain.js';
import type { Finding } from './findings.js';
import type { ShardSnapshot } from './snapshot.js';
import { renderTable } from './table.js';

export function modeOf(state: ClusterState): 'normal' | 'singleton' {
  return state.oneNodeWriteMode === true ? 'singleton' : 'normal';
}

/** What the upstream reports for this peer: `streaming/sync`, `-` for the primary, `none` when it has no walsender for it. */
export function replState(row: ChainRow): string {
  if (row.role === 'primary' || row.role === 'deposed') return '-';
  if (row.replication !== null) return `${row.replication.state}/${row.replication.syncState}`;
  return row.upstreamAnswered ? 'none' : '?';
}

function header(snapshot: ShardSnapshot, state: ClusterState): string[] {
  const freeze = state.freeze === undefined ? 'not frozen' : `frozen since ${state.freeze.date}: ${state.freeze.reason}`;
  const promote = state.promote === undefined ? 'none' : `${state.promote.id} to ${state.promote.role}${state.promote.asyncIndex === undefined ? '' : ` (async ${state.promote.asyncIndex})`}, generation ${state.promote.generation}, expires ${state.promote.expireTime}`;
  return [
    `zookeeper:   ${snapshot.connectString}`,
    `shard:       ${snapshot.shardPath}`,
    `generation:  ${state.generation} (initWal ${state.initWal})`,
    `mode:        ${modeOf(state)}${state.oneNodeWriteMode === true ? ' (one-node-write: no sync, writes not replicated)' : ''}`,
    `freeze:      ${freeze}`,
    `promote:     ${promote}`,
  ];
}

export function peerTable(rows: readonly ChainRow[]): string[] {
  return renderTable(
    ['ROLE', 'PEER', 'PG-URL', 'REPL-STATE', 'LAG'],
    rows.map((row) => [row.role, row.peer.id, row.peer.pgUrl, replState(row), row.lagBytes === null ? '-' : String(row.lagBytes)]),
  );
}

export function problemLines(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ['problems:    none'];
  return ['problems:', ...findings.map((finding) => `  ${finding.severity}: ${finding.message}${finding.code === undefined ? '' : ` [${finding.code}]`}`)];
}

export function formatShow(snapshot: ShardSnapshot, findings: readonly Finding[]): string[] {
  const { read } = snapshot;
  if (read.kind !== 'valid') return [`zookeeper:   ${snapshot.connectString}`, `shard:       ${snapshot.shardPath}`, '', ...problemLines(findings)];
  const rows = chainRows(read.state, snapshot.active, snapshot.probes);
  return [...header(snapshot, read.state), '', ...peerTable(rows), '', ...problemLines(findings)];
}

export function showJson(snapshot: ShardSnapshot, findings: readonly Finding[]): unknown {
  const { read } = snapshot;
  const base = { zookeeper: snapshot.connectString, shard: snapshot.shardPath, problems: findings };
  if (read.kind !== 'valid') return { ...base, state: read.kind };
  const { state } = read;
  const peers = chainRows(state, snapshot.active, snapshot.probes).map((row) => ({
    role: row.role,
    id: row.peer.id,
    zoneId: row.peer.zoneId,
    pgUrl: row.peer.pgUrl,
    registered: row.registered,
    pg: row.probe === undefined ? 'unknown' : row.probe.kind,
    replState: row.replication?.state ?? null,
    syncState: row.replication?.syncState ?? null,
    lagBytes: row.lagBytes,
  }));
  const { generation, initWal, freeze = null, promote = null } = state;
  return { ...base, state: 'valid', generation, initWal, mode: modeOf(state), freeze, promote, peers };
}
