// Retry with exponential backoff for the sitter's restores: bounded attempts, interruptible waits, no retry of the hopeless.
import type { Clock } from '../platform/clock.js';

export interface BackoffPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Growth per failed attempt (default 2). */
  readonly factor?: number;
}

export interface AttemptFailure {
  readonly attempt: number;
  readonly error: unknown;
  /** The wait before the next attempt; null when this was the last one (or the error is not worth a retry). */
  readonly nextDelayMs: number | null;
}

export interface RetryOptions {
  readonly policy: BackoffPolicy;
  readonly clock: Clock;
  readonly isRetryable: (error: unknown) => boolean;
  readonly signal?: AbortSignal;
  readonly onAttemptFailed?: (failure: AttemptFailure) => void;
}

/** The wait after failed attempt number `attempt` (1-based): initial × factor^(attempt-1), capped. */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number): number {
  const delayMs = policy.initialDelayMs * (policy.factor ?? 2) ** Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, Math.round(delayMs));
}

/** Waits, or rejects with the signal's reason as soon as it is aborted. */
export function sleepUnlessAborted(clock: Clock, delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = (): unknown => signal?.reason ?? new Error('aborted');
    if (signal?.aborted === true) {
      reject(aborted());
      return;
    }
    const onAbort = (): void => {
      timer.cancel();
      reject(aborted());
    };
    const timer = clock.setTimer(delayMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `work(attempt)` until it succeeds, fails with a non-retryable error, or the attempts are used up (last error). */
export async function retryWithBackoff<T>(work: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = Math.max(1, Math.trunc(options.policy.attempts));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work(attempt);
    } catch (error) {
      const retry = attempt < attempts && options.isRetryable(error) && options.signal?.aborted !== true;
      const nextDelayMs = retry ? backoffDelayMs(options.policy, attempt) : null;
      options.onAttemptFailed?.({ attempt, error, nextDelayMs });
      if (nextDelayMs === null) throw error;
      await sleepUnlessAborted(options.clock, nextDelayMs, options.signal);
    }
  }
}
