// pg_stat_replication (what a primary's standbys have acknowledged) and the catch-up test of rule 6 (docs/protocol.md).
import { compareLsn, type Lsn } from '../schema/lsn.js';
import type { PgSession } from './connection.js';
import { lsnOrNull } from './lsn-values.js';

export interface ReplicationRow {
  readonly pid: number;
  readonly applicationName: string;
  readonly clientAddr: string | null;
  /** startup, catchup, streaming, backup, stopping. */
  readonly state: string;
  readonly sentLsn: Lsn | null;
  readonly writeLsn: Lsn | null;
  readonly flushLsn: Lsn | null;
  readonly replayLsn: Lsn | null;
  /** async, potential, sync, quorum. */
  readonly syncState: string;
}

interface StatRow {
  pid: number;
  application_name: string;
  client_addr: string | null;
  state: string;
  sent_lsn: string | null;
  write_lsn: string | null;
  flush_lsn: string | null;
  replay_lsn: string | null;
  sync_state: string;
}

const REPLICATION_SQL = `
SELECT pid, application_name, client_addr::text AS client_addr, state,
       sent_lsn::text AS sent_lsn, write_lsn::text AS write_lsn, flush_lsn::text AS flush_lsn,
       replay_lsn::text AS replay_lsn, sync_state
  FROM pg_stat_replication
 ORDER BY application_name, pid`;

export async function readReplication(session: PgSession): Promise<ReplicationRow[]> {
  const rows = await session.query<StatRow>(REPLICATION_SQL);
  return rows.map((row) => ({
    pid: row.pid,
    applicationName: row.application_name,
    clientAddr: row.client_addr,
    state: row.state,
    sentLsn: lsnOrNull(row.sent_lsn, 'sent_lsn'),
    writeLsn: lsnOrNull(row.write_lsn, 'write_lsn'),
    flushLsn: lsnOrNull(row.flush_lsn, 'flush_lsn'),
    replayLsn: lsnOrNull(row.replay_lsn, 'replay_lsn'),
    syncState: row.sync_state,
  }));
}

export interface CatchUpStatus {
  readonly caughtUp: boolean;
  /** Why not, as a sentence for the log and status API; "caught up" otherwise. */
  readonly reason: string;
  readonly row: ReplicationRow | null;
}

/** Rule 6: the named standby is streaming and has flushed everything it was sent. */
export function catchUpStatus(rows: readonly ReplicationRow[], applicationName: string): CatchUpStatus {
  const matching = rows.filter((row) => row.applicationName === applicationName);
  // Two walsenders for one name happen briefly when a standby reconnects; the streaming one is the live one.
  const row = matching.find((candidate) => candidate.state === 'streaming') ?? matching[0] ?? null;
  if (row === null) return { caughtUp: false, reason: `standby ${applicationName} is not connected`, row };
  if (row.state !== 'streaming') return { caughtUp: false, reason: `standby ${applicationName} is in state ${row.state}`, row };
  if (row.sentLsn === null || row.flushLsn === null) {
    return { caughtUp: false, reason: `standby ${applicationName} has not reported a flush position yet`, row };
  }
  if (compareLsn(row.flushLsn, row.sentLsn) < 0) {
    return { caughtUp: false, reason: `standby ${applicationName} flushed ${row.flushLsn} of ${row.sentLsn} sent`, row };
  }
  return { caughtUp: true, reason: 'caught up', row };
}
