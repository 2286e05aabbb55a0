// Before pg_rewind: makes the source's control file name its current timeline, which pg_rewind reads from nowhere else.
import { DugongError, isDugongError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { onlyRow, withConnection, type PgSession } from './connection.js';
import { timelineFromWalFileName } from './lsn-values.js';
import type { PgConnectionTarget } from './types.js';

export interface RewindSourceSpec {
  readonly source: PgConnectionTarget;
  readonly clock: Clock;
  /** How long to wait for the control file to show the current timeline. */
  readonly timeoutMs: number;
}

interface TimelineRow {
  in_recovery: boolean;
  insert_wal_file: string | null;
  checkpoint_tli: number;
}

// pg_walfile_name() raises an error during recovery, hence the CASE.
const TIMELINES_SQL = `
SELECT pg_is_in_recovery() AS in_recovery,
       CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END AS insert_wal_file,
       (pg_control_checkpoint()).timeline_id AS checkpoint_tli`;

const INSUFFICIENT_PRIVILEGE = '42501';
const POLL_MS = 200;

/** The timeline the source writes on, and the one its control file (what pg_rewind reads) names. */
async function readTimelines(session: PgSession): Promise<{ current: number; checkpoint: number }> {
  const row = onlyRow(await session.query<TimelineRow>(TIMELINES_SQL), 'source timelines');
  if (row.in_recovery || row.insert_wal_file === null) {
    throw new DugongError('DUGONG_ERR_PG_QUERY_FAILED', 'the rewind source is in recovery: only a primary can be rewound from', { inRecovery: row.in_recovery });
  }
  return { current: timelineFromWalFileName(row.insert_wal_file), checkpoint: row.checkpoint_tli };
}

/** CHECKPOINT needs superuser or pg_checkpoint; without it the promotion's own checkpoint is awaited instead. */
async function requestCheckpoint(session: PgSession): Promise<boolean> {
  try {
    await session.query('CHECKPOINT');
    return true;
  } catch (error) {
    if (isDugongError(error) && error.details['sqlState'] === INSUFFICIENT_PRIVILEGE) return false;
    throw error;
  }
}

/**
 * A promotion writes its new timeline into pg_control only at the checkpoint it requests afterwards, a spread one
 * that takes seconds to minutes. pg_rewind started before it ends compares the target's timeline with the source's
 * stale one, finds them equal and says "no rewind required": the target keeps the WAL it wrote after the fork on
 * the old timeline and, started as a standby, can never follow the new one (it waits forever, never replaying).
 * So the source is checkpointed first and its control file checked; resolves with the source's timeline.
 */
export async function settleRewindSource(spec: RewindSourceSpec): Promise<number> {
  const { source, clock, timeoutMs } = spec;
  // Leaves the connection's own deadline room to report the outcome.
  const deadline = clock.monotonicMs() + Math.max(0, timeoutMs - 1_000);
  return withConnection({ target: source, clock, what: 'checkpoint the rewind source', timeoutMs }, async (session) => {
    let timelines = await readTimelines(session);
    if (timelines.checkpoint === timelines.current) return timelines.current;
    await requestCheckpoint(session);
    timelines = await readTimelines(session);
    while (timelines.checkpoint !== timelines.current && clock.monotonicMs() < deadline) {
      await clock.sleep(POLL_MS);
      timelines = await readTimelines(session);
    }
    if (timelines.checkpoint === timelines.current) return timelines.current;
    throw new DugongError('DUGONG_ERR_PG_TIMEOUT', `the rewind source's control file still names timeline ${timelines.checkpoint}, it writes on ${timelines.current}: pg_rewind would see no divergence`, {
      ...timelines,
      timeoutMs,
    });
  });
}
