// Typed coordination errors: a closed set of kinds, each mapped to a stable DugongError code.
import { DugongError, type ErrorCode } from '../errors.js';

export type CoordErrorKind =
  | 'timeout'
  | 'conflict'
  | 'exists'
  | 'no-node'
  | 'session-expired'
  | 'connection-loss'
  | 'no-auth'
  | 'closed'
  | 'failed';

export interface CoordErrorDetails {
  readonly kind: CoordErrorKind;
  /** The Coordinator call that failed, e.g. `writeState`. */
  readonly operation: string;
  readonly path?: string;
  readonly timeoutMs?: number;
  /** For `conflict`: the version the writer expected. */
  readonly expectedVersion?: number;
  /** The backend's own error code (ZooKeeper: negative integer). */
  readonly backendCode?: number;
}

export function codeForKind(kind: CoordErrorKind): ErrorCode {
  switch (kind) {
    case 'timeout':
      return 'DUGONG_ERR_COORD_TIMEOUT';
    case 'conflict':
      return 'DUGONG_ERR_COORD_CONFLICT';
    case 'exists':
      return 'DUGONG_ERR_COORD_EXISTS';
    case 'no-node':
      return 'DUGONG_ERR_COORD_NO_NODE';
    case 'session-expired':
      return 'DUGONG_ERR_COORD_SESSION_EXPIRED';
    case 'no-auth':
      return 'DUGONG_ERR_COORD_NO_AUTH';
    case 'connection-loss':
    case 'closed':
    case 'failed':
      return 'DUGONG_ERR_COORD_FAILED';
  }
}

export function coordError(details: CoordErrorDetails, message: string, cause?: unknown): DugongError {
  const options = cause === undefined ? undefined : { cause };
  return new DugongError(codeForKind(details.kind), `${details.operation}: ${message}`, { ...details }, options);
}

const KINDS: ReadonlySet<string> = new Set<CoordErrorKind>([
  'timeout',
  'conflict',
  'exists',
  'no-node',
  'session-expired',
  'connection-loss',
  'no-auth',
  'closed',
  'failed',
]);

/** The kind of a coordination error, or undefined for anything else. */
export function coordErrorKind(error: unknown): CoordErrorKind | undefined {
  if (!(error instanceof DugongError)) return undefined;
  const kind = error.details['kind'];
  return typeof kind === 'string' && KINDS.has(kind) ? (kind as CoordErrorKind) : undefined;
}

/** Whether retrying later (after re-reading) can succeed: the service was unreachable or the session changed. */
export function isTransientCoordError(error: unknown): boolean {
  const kind = coordErrorKind(error);
  return kind === 'timeout' || kind === 'connection-loss' || kind === 'session-expired';
}
