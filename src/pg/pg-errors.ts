// Turns node-postgres and socket failures into DugongErrors naming the operation, the server, the query and its message.
import { DatabaseError } from 'pg';
import { DugongError, errorMessage, isDugongError, type ErrorCode } from '../errors.js';
import type { PgConnectionTarget } from './types.js';

export interface FailureContext {
  readonly what: string;
  readonly target: PgConnectionTarget;
  readonly phase: 'connect' | 'query';
  readonly query: string | null;
  readonly timedOut: boolean;
  readonly timeoutMs: number;
}

/** SQLSTATEs meaning "the server is not (yet, any more) serving": starting up, shutting down, refusing, auth. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_CLASSES = new Set(['08', '28']);
export const QUERY_CANCELED_SQLSTATE = '57014';
export const READ_ONLY_TRANSACTION_SQLSTATE = '25006';

export function toDugongError(error: unknown, context: FailureContext): DugongError {
  if (isDugongError(error)) return error;
  const server = `${context.target.host}:${context.target.port}`;
  const base = { what: context.what, server, query: context.query, phase: context.phase };
  if (context.timedOut) {
    return new DugongError('DUGONG_ERR_PG_TIMEOUT', `${context.what} on ${server} did not complete within ${context.timeoutMs} ms`, {
      ...base,
      timeoutMs: context.timeoutMs,
    }, { cause: error });
  }
  const querySuffix = context.query === null ? '' : ` (query: ${context.query})`;
  if (error instanceof DatabaseError) {
    const sqlState = error.code ?? '';
    const message = `${context.what} on ${server} failed: ${error.severity ?? 'ERROR'}: ${error.message} [SQLSTATE ${sqlState}]${querySuffix}`;
    return new DugongError(codeForSqlState(sqlState), message, {
      ...base,
      sqlState,
      serverMessage: error.message,
      serverDetail: error.detail,
      serverHint: error.hint,
    }, { cause: error });
  }
  const code: ErrorCode = context.phase === 'connect' || isConnectionLoss(error) ? 'DUGONG_ERR_PG_UNAVAILABLE' : 'DUGONG_ERR_PG_QUERY_FAILED';
  return new DugongError(code, `${context.what} on ${server} failed: ${errorMessage(error)}${querySuffix}`, {
    ...base,
    errno: (error as NodeJS.ErrnoException | undefined)?.code,
  }, { cause: error });
}

function codeForSqlState(sqlState: string): ErrorCode {
  if (sqlState === QUERY_CANCELED_SQLSTATE) return 'DUGONG_ERR_PG_TIMEOUT';
  if (UNAVAILABLE_SQLSTATES.has(sqlState) || UNAVAILABLE_CLASSES.has(sqlState.slice(0, 2))) return 'DUGONG_ERR_PG_UNAVAILABLE';
  return 'DUGONG_ERR_PG_QUERY_FAILED';
}

function isConnectionLoss(error: unknown): boolean {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ECONNRESET' || errno === 'EPIPE' || errno === 'ECONNREFUSED' || errno === 'ENOENT') return true;
  return /Connection terminated/i.test(errorMessage(error));
}

/** The SQLSTATE a DugongError from this driver carries, if the server sent one. */
export function sqlStateOf(error: unknown): string | undefined {
  if (!isDugongError(error)) return undefined;
  const sqlState = error.details['sqlState'];
  return typeof sqlState === 'string' ? sqlState : undefined;
}
