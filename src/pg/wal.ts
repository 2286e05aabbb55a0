// WAL positions and timeline of one server: current (primary), received and replayed (standby).
import type { Lsn } from '../schema/lsn.js';
import { onlyRow, type PgSession } from './connection.js';
import { lsnOrNull, timelineFromWalFileName } from './lsn-values.js';

/**
 * Where the timeline came from, best first: "insert" = the primary's current timeline (exact); "receiver" = the
 * timeline the standby's walreceiver last flushed (exact while streaming); "checkpoint" = the last checkpoint's
 * (lags behind a promotion until the next checkpoint completes, so only a lower bound).
 */
export type TimelineSource = 'insert' | 'receiver' | 'checkpoint';

export interface WalPositions {
  readonly inRecovery: boolean;
  /** pg_current_wal_lsn(): null while in recovery. */
  readonly current: Lsn | null;
  /** pg_last_wal_receive_lsn(): null if streaming never started since the server started. */
  readonly received: Lsn | null;
  /** pg_last_wal_replay_lsn(): null on a server that never was in recovery since it started. */
  readonly replayed: Lsn | null;
  readonly timeline: number;
  readonly timelineSource: TimelineSource;
}

interface WalRow {
  in_recovery: boolean;
  current: string | null;
  received: string | null;
  replayed: string | null;
  insert_wal_file: string | null;
  receiver_tli: number | null;
  checkpoint_tli: number;
}

// pg_current_wal_lsn() and pg_walfile_name() raise an error during recovery, hence the CASEs.
const WAL_POSITIONS_SQL = `
SELECT pg_is_in_recovery() AS in_recovery,
       CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END AS current,
       pg_last_wal_receive_lsn()::text AS received,
       pg_last_wal_replay_lsn()::text AS replayed,
       CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END AS insert_wal_file,
       (SELECT received_tli FROM pg_stat_wal_receiver WHERE received_tli > 0) AS receiver_tli,
       (pg_control_checkpoint()).timeline_id AS checkpoint_tli`;

export async function readWalPositions(session: PgSession): Promise<WalPositions> {
  const row = onlyRow(await session.query<WalRow>(WAL_POSITIONS_SQL), 'WAL positions');
  const positions = {
    inRecovery: row.in_recovery,
    current: lsnOrNull(row.current, 'pg_current_wal_lsn()'),
    received: lsnOrNull(row.received, 'pg_last_wal_receive_lsn()'),
    replayed: lsnOrNull(row.replayed, 'pg_last_wal_replay_lsn()'),
  };
  if (row.insert_wal_file !== null) return { ...positions, timeline: timelineFromWalFileName(row.insert_wal_file), timelineSource: 'insert' };
  if (row.receiver_tli !== null) return { ...positions, timeline: row.receiver_tli, timelineSource: 'receiver' };
  return { ...positions, timeline: row.checkpoint_tli, timelineSource: 'checkpoint' };
}

/**
 * The position that orders peers: what a primary has written, what a standby has replayed (only replayed WAL
 * is guaranteed to be served after promotion). Null only for a standby that has replayed nothing yet.
 */
export function effectiveWalPosition(positions: WalPositions): Lsn | null {
  return positions.inRecovery ? positions.replayed : positions.current;
}
