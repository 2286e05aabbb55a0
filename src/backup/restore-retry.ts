// restoreFromBackupServer with retries: every attempt starts from the target exactly as it was before the first.
import type { DatasetName, Zfs } from '../zfs/index.js';
import { restoreFromBackupServer, type RestoreOptions, type RestoreProgress, type RestoreResult } from './restore-client.js';
import { isRetryableRestoreError, restoreError, restoreFailureOf } from './restore-errors.js';
import { retryWithBackoff, type AttemptFailure, type BackoffPolicy } from './retry.js';

export interface RetryingRestoreOptions extends Omit<RestoreOptions, 'onProgress'> {
  readonly retry: BackoffPolicy;
  readonly onProgress?: (progress: RestoreProgress & { readonly attempt: number }) => void;
  readonly onAttemptFailed?: (failure: AttemptFailure) => void;
}

export interface RetriedRestoreResult extends RestoreResult {
  readonly attempts: number;
}

/**
 * A full restore creates the dataset: if a failed attempt left it behind (zfs did not clean up), the next attempt
 * would not start clean, and destroying it silently is not ours to do. Stop and say so.
 */
async function ensureCleanStart(zfs: Zfs, dataset: DatasetName, existedBefore: boolean, backupUrl: string): Promise<void> {
  if (existedBefore || !(await zfs.exists(dataset))) return;
  throw restoreError('receive', `${dataset} exists after a failed full restore; not retrying over it`, { backupUrl, leftoverDataset: dataset });
}

function isRestoreAbort(error: unknown): boolean {
  return restoreFailureOf(error)?.kind === 'aborted';
}

/** Retries on `unreachable`, `truncated`, `stalled`, and HTTP 429/5xx; never on `receive`, `protocol`, 4xx or an abort. */
export async function restoreWithRetry(options: RetryingRestoreOptions): Promise<RetriedRestoreResult> {
  const existedBefore = options.targetExists ?? (await options.zfs.exists(options.dataset));
  let attempts = 0;
  const retrying = retryWithBackoff(
    async (attempt) => {
      attempts = attempt;
      if (attempt > 1) await ensureCleanStart(options.zfs, options.dataset, existedBefore, options.backupUrl);
      const { onProgress } = options;
      // Every attempt starts from the target as it was (ensured above), so what was true before the first still is.
      return restoreFromBackupServer({ ...options, targetExists: existedBefore, onProgress: onProgress === undefined ? undefined : (progress) => onProgress({ ...progress, attempt }) });
    },
    {
      policy: options.retry,
      clock: options.clock,
      isRetryable: isRetryableRestoreError,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onAttemptFailed: (failure) => {
        options.log.warn({ attempt: failure.attempt, nextDelayMs: failure.nextDelayMs, err: failure.error instanceof Error ? failure.error.message : String(failure.error) }, 'restore attempt failed');
        options.onAttemptFailed?.(failure);
      },
    },
  );
  try {
    return { ...(await retrying), attempts };
  } catch (error) {
    // Aborted while waiting between attempts: report it as the abort it is, not as the previous attempt's failure.
    if (options.signal?.aborted === true && !isRestoreAbort(error)) {
      throw restoreError('aborted', `restore from ${options.backupUrl} aborted after ${attempts} attempts`, { backupUrl: options.backupUrl }, error);
    }
    throw error;
  }
}
