// One short-lived connection per call, bounded by a deadline that tears the socket down, so no call can hang.
import { Client } from 'pg';
import { DugongError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { setDeadline } from '../platform/timeout.js';
import { toDugongError, type FailureContext } from './pg-errors.js';
import type { PgConnectionTarget } from './types.js';

/** How the sitter's own sessions show up in pg_stat_activity. */
export const SITTER_APPLICATION_NAME = 'dugong-sitter';

export interface ConnectionSpec {
  readonly target: PgConnectionTarget;
  readonly clock: Clock;
  /** Budget for connecting and all the work; past it the socket is destroyed and the call fails with PG_TIMEOUT. */
  readonly timeoutMs: number;
  /** What the call does, for error messages ("health check", "promote"). */
  readonly what: string;
  /** Server-side statement_timeout; defaults to the whole budget. */
  readonly statementTimeoutMs?: number;
}

export interface PgSession {
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** NOTICE/WARNING messages the server sent during this session (e.g. a cancelled synchronous-replication wait). */
  readonly notices: readonly string[];
}

/**
 * A fresh connection per call costs a few milliseconds and never leaves the sitter holding a broken one; a server
 * that accepts the TCP connection but never answers (SIGSTOPped, overloaded) is caught by the deadline.
 */
export async function withConnection<T>(spec: ConnectionSpec, work: (session: PgSession) => Promise<T>): Promise<T> {
  const { target } = spec;
  const client = new Client({
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
    password: target.password,
    application_name: SITTER_APPLICATION_NAME,
    statement_timeout: spec.statementTimeoutMs ?? spec.timeoutMs,
  });
  const context: { -readonly [K in keyof FailureContext]: FailureContext[K] } = {
    what: spec.what, target, phase: 'connect', query: null, timedOut: false, timeoutMs: spec.timeoutMs,
  };
  const notices: string[] = [];
  // Failures surface through the pending promise; an 'error' event without a listener would crash the process.
  client.on('error', () => undefined);
  client.on('notice', (notice) => notices.push(`${notice.severity ?? 'NOTICE'}: ${notice.message}`));
  // Not a plain timer: after the sitter's own pause an answer already waiting in the socket must not count as a timeout.
  const timer = setDeadline(spec.clock, spec.timeoutMs, () => {
    context.timedOut = true;
    client.connection.stream.destroy();
  });
  try {
    await client.connect();
    context.phase = 'query';
    const session: PgSession = {
      notices,
      async query<R extends object>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
        context.query = sql;
        const result = await client.query<R>(sql, [...params]);
        return result.rows;
      },
    };
    return await work(session);
  } catch (error) {
    throw toDugongError(error, context);
  } finally {
    timer.cancel();
    // Not awaited: ending waits for the server's goodbye, which a hung server never sends.
    client.end().catch(() => undefined);
  }
}

/** The single row a one-row query must return. */
export function onlyRow<R>(rows: readonly R[], what: string): R {
  const [row] = rows;
  if (row === undefined || rows.length !== 1) {
    throw new DugongError('DUGONG_ERR_PG_QUERY_FAILED', `${what}: expected one row, got ${rows.length}`, { what, rows: rows.length });
  }
  return row;
}
