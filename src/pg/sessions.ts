// Ends client sessions that hold an open transaction, so that after writes are turned off no earlier transaction can still commit.
import { DugongError } from '../errors.js';
import { SITTER_APPLICATION_NAME, type PgSession } from './connection.js';

/**
 * default_transaction_read_only only affects transactions that start after the reload; one already open keeps
 * its read-write mode. pg_stat_activity cannot tell read-write from read-only transactions, so every client
 * transaction open on a primary is ended (its client sees the connection close and reconnects). Waits up to
 * waitMs per backend for it to be gone, so the caller may report "no more commits" truthfully.
 * The sitter's own sessions that have not written (health checks running concurrently) are spared.
 * Not covered: a session that SET default_transaction_read_only = off itself, and prepared (2PC) transactions.
 */
export async function terminateOpenTransactions(session: PgSession, waitMs: number): Promise<number[]> {
  const rows = await session.query<{ pid: number; gone: boolean }>(
    `SELECT pid, pg_terminate_backend(pid, $1) AS gone
       FROM pg_stat_activity
      WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
        AND NOT (application_name = $2 AND backend_xid IS NULL)
        AND NOT pg_is_in_recovery()`,
    [waitMs, SITTER_APPLICATION_NAME],
  );
  const survivors = rows.filter((row) => !row.gone).map((row) => row.pid);
  if (survivors.length > 0) {
    throw new DugongError('DUGONG_ERR_PG_TIMEOUT', `sessions ${survivors.join(', ')} did not end within ${waitMs} ms`, { survivors, waitMs });
  }
  return rows.map((row) => row.pid);
}
