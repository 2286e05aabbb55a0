// Promotes a standby with pg_promote(): no restart, the server leaves recovery on a new timeline.
import { DugongError } from '../errors.js';
import { onlyRow, type PgSession } from './connection.js';

export type PromoteOutcome = 'promoted' | 'already-primary';

/** Idempotent: a server that is already out of recovery is reported as such, so a retried action is harmless. */
export async function promoteServer(session: PgSession, waitSeconds: number): Promise<PromoteOutcome> {
  const state = onlyRow(await session.query<{ in_recovery: boolean }>('SELECT pg_is_in_recovery() AS in_recovery'), 'recovery state');
  if (!state.in_recovery) return 'already-primary';
  const result = onlyRow(
    await session.query<{ promoted: boolean }>('SELECT pg_promote(wait => true, wait_seconds => $1) AS promoted', [waitSeconds]),
    'pg_promote()',
  );
  if (!result.promoted) {
    // The promotion was requested and goes on: a later check of pg_is_in_recovery() tells whether it finished.
    throw new DugongError('DUGONG_ERR_PG_TIMEOUT', `pg_promote() did not finish within ${waitSeconds} s`, { waitSeconds });
  }
  return 'promoted';
}
