// The restore client's one error: DUGONG_ERR_RESTORE_FAILED with a closed `kind` and whether a retry may help.
import { z } from 'zod';
import { DugongError, isDugongError } from '../errors.js';

/**
 * - `unreachable`: no HTTP answer (connection refused or reset, DNS, request timeout).
 * - `http`: the server answered with an error status (`status`, `serverCode` in the details).
 * - `protocol`: the server's answer was not what the API promises.
 * - `truncated`: the stream broke off before its end (server killed, network cut, send failed on the server).
 * - `stalled`: no bytes for stallTimeoutMs.
 * - `receive`: `zfs recv` refused a complete stream (target modified since `from`, no space, ...).
 * - `aborted`: the caller's signal.
 */
export const RESTORE_FAILURE_KINDS = ['unreachable', 'http', 'protocol', 'truncated', 'stalled', 'receive', 'aborted'] as const;
export type RestoreFailureKind = (typeof RESTORE_FAILURE_KINDS)[number];

const RestoreFailureSchema = z.object({
  kind: z.enum(RESTORE_FAILURE_KINDS),
  retryable: z.boolean(),
  backupUrl: z.string(),
  status: z.number().optional(),
  serverCode: z.string().optional(),
  sendId: z.string().optional(),
  bytesReceived: z.number().optional(),
  /** A full receive left this dataset behind (zfs did not clean up): an operator looks before anything retries. */
  leftoverDataset: z.string().optional(),
});

/** The details of a DUGONG_ERR_RESTORE_FAILED error. */
export type RestoreFailure = z.infer<typeof RestoreFailureSchema>;

function retryableHttpStatus(status: number): boolean {
  // Busy (429), shutting down (503) or a server-side zfs hiccup (500): another try may work. 4xx will not.
  return status === 429 || status >= 500;
}

export function isRetryableKind(kind: RestoreFailureKind, status?: number): boolean {
  switch (kind) {
    case 'unreachable':
    case 'truncated':
    case 'stalled':
      return true;
    case 'http':
      return status !== undefined && retryableHttpStatus(status);
    case 'protocol':
    case 'receive':
    case 'aborted':
      return false;
  }
}

export function restoreError(kind: RestoreFailureKind, message: string, details: Omit<RestoreFailure, 'kind' | 'retryable'>, cause?: unknown): DugongError {
  const retryable = details.leftoverDataset === undefined && isRetryableKind(kind, details.status);
  return new DugongError('DUGONG_ERR_RESTORE_FAILED', message, { ...details, kind, retryable }, { cause });
}

/** The failure a restore error describes; undefined for any other error. */
export function restoreFailureOf(error: unknown): RestoreFailure | undefined {
  if (!isDugongError(error, 'DUGONG_ERR_RESTORE_FAILED')) return undefined;
  const parsed = RestoreFailureSchema.safeParse(error.details);
  return parsed.success ? parsed.data : undefined;
}

export function isRetryableRestoreError(error: unknown): boolean {
  return restoreFailureOf(error)?.retryable === true;
}
