// PURE: `pg-status` as text and JSON: every peer's PostgreSQL in replication-chain order, as its upstream sees it.
import { chainRows, type ChainRow } from './chain.js';
import { replState } from './format-show.js';
import type { ShardSnapshot } from './snapshot.js';
import { renderTable } from './table.js';

function pgColumn(row: ChainRow): string {
  if (row.probe === undefined) return '-';
  return row.probe.kind === 'up' ? 'ok' : 'down';
}

function rowsOf(snapshot: ShardSnapshot): ChainRow[] {
  return snapshot.read.kind === 'valid' ? chainRows(snapshot.read.state, snapshot.active, snapshot.probes) : [];
}

export function formatPgStatus(snapshot: ShardSnapshot): string[] {
  if (snapshot.read.kind !== 'valid') return [`no valid cluster state at ${snapshot.shardPath}/state (${snapshot.read.kind})`];
  return renderTable(
    ['ROLE', 'PEER', 'PG', 'REPL', 'SENT', 'FLUSH', 'REPLAY', 'LAG'],
    rowsOf(snapshot).map((row) => [
      row.role,
      row.peer.id,
      pgColumn(row),
      replState(row),
      row.replication?.sentLsn ?? '-',
      row.replication?.flushLsn ?? '-',
      row.replication?.replayLsn ?? '-',
      row.lagBytes === null ? '-' : String(row.lagBytes),
    ]),
  );
}

export function pgStatusJson(snapshot: ShardSnapshot, atIso: string): unknown {
  const peers = rowsOf(snapshot).map((row) => {
    const probe = row.probe;
    return {
      role: row.role,
      id: row.peer.id,
      pgUrl: row.peer.pgUrl,
      pg: probe === undefined ? 'unknown' : probe.kind,
      error: probe?.kind === 'down' ? probe.error : null,
      inRecovery: probe?.kind === 'up' ? probe.inRecovery : null,
      walLsn: probe?.kind === 'up' ? (probe.inRecovery ? probe.replayLsn : probe.currentLsn) : null,
      upstream: row.upstream?.id ?? null,
      replState: row.replication?.state ?? null,
      syncState: row.replication?.syncState ?? null,
      sentLsn: row.replication?.sentLsn ?? null,
      flushLsn: row.replication?.flushLsn ?? null,
      replayLsn: row.replication?.replayLsn ?? null,
      lagBytes: row.lagBytes,
    };
  });
  return { at: atIso, shard: snapshot.shardPath, state: snapshot.read.kind, peers };
}
