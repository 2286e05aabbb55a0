// The health check: can a new session run a query, and is the server in recovery. Never throws: health is an observation.
import { DugongError, errorMessage, isDugongError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { onlyRow, withConnection } from './connection.js';
import type { PgConnectionTarget } from './types.js';

export type PgHealth =
  | { readonly healthy: true; readonly inRecovery: boolean; readonly latencyMs: number }
  | { readonly healthy: false; readonly error: DugongError; readonly latencyMs: number };

export async function checkHealth(target: PgConnectionTarget, clock: Clock, timeoutMs: number): Promise<PgHealth> {
  const startedMs = clock.monotonicMs();
  const latency = (): number => Math.round(clock.monotonicMs() - startedMs);
  try {
    const inRecovery = await withConnection({ target, clock, timeoutMs, what: 'health check' }, async (session) => {
      const rows = await session.query<{ in_recovery: boolean }>('SELECT pg_is_in_recovery() AS in_recovery');
      return onlyRow(rows, 'health check').in_recovery;
    });
    return { healthy: true, inRecovery, latencyMs: latency() };
  } catch (error) {
    const failure = isDugongError(error) ? error : new DugongError('DUGONG_ERR_PG_UNAVAILABLE', `health check failed: ${errorMessage(error)}`);
    return { healthy: false, error: failure, latencyMs: latency() };
  }
}
