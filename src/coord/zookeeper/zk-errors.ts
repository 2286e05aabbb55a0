// Maps node-zookeeper-client exceptions (numeric codes) to typed coordination errors.
import zookeeper from 'node-zookeeper-client';
import { DugongError } from '../../errors.js';
import { coordError, type CoordErrorKind } from '../coord-errors.js';

/** The numeric ZooKeeper code of a client exception, if it is one. */
export function zkErrorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export function kindForZkCode(code: number | undefined): CoordErrorKind {
  const E = zookeeper.Exception;
  switch (code) {
    case E.NO_NODE:
      return 'no-node';
    case E.NODE_EXISTS:
      return 'exists';
    case E.BAD_VERSION:
      return 'conflict';
    case E.SESSION_EXPIRED:
      return 'session-expired';
    case E.NO_AUTH:
      return 'no-auth';
    case E.CONNECTION_LOSS:
    case E.OPERATION_TIMEOUT:
      return 'connection-loss';
    default:
      return 'failed';
  }
}

/** DugongErrors (timeouts, closed) pass through; ZooKeeper exceptions get a kind; anything else is `failed`. */
export function fromZkError(error: unknown, operation: string, path?: string): DugongError {
  if (error instanceof DugongError) return error;
  const backendCode = zkErrorCode(error);
  const kind = kindForZkCode(backendCode);
  const message = error instanceof Error ? error.message : String(error);
  return coordError({ kind, operation, path, backendCode }, `${message}${path === undefined ? '' : ` (${path})`}`, error);
}
