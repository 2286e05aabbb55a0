// Bounds any promise by a deadline, so no adapter call can hang forever.
import { DugongError, type ErrorCode } from '../errors.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';

/** A timer this much past due means this process was not running (SIGSTOP, VM pause), not mere event-loop jitter. */
const STALL_MS = 500;

export interface TimeoutSpec {
  readonly timeoutMs: number;
  /** What was being waited for, for the error message. */
  readonly what: string;
  readonly code?: ErrorCode;
  readonly clock?: Clock;
}

export function withTimeout<T>(work: Promise<T>, spec: TimeoutSpec): Promise<T> {
  const clock = spec.clock ?? systemClock;
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimer(spec.timeoutMs, () => {
      reject(
        new DugongError(spec.code ?? 'DUGONG_ERR_COORD_TIMEOUT', `${spec.what} did not complete within ${spec.timeoutMs} ms`, {
          timeoutMs: spec.timeoutMs,
        }),
      );
    });
    work.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error);
      },
    );
  });
}

/**
 * Calls onExpired once timeoutMs have passed while this process could listen for the answer. A stalled process
 * resumes with expired timers, and Node runs timers before reading sockets: an answer that arrived during the
 * stall would be discarded unread, blaming the other side for our own pause. So an expiry noticed more than
 * STALL_MS late waits one more timeoutMs, measured from the resume; a truly silent peer still fails, just later.
 */
export function setDeadline(clock: Clock, timeoutMs: number, onExpired: () => void): TimerHandle {
  let timer: TimerHandle;
  const arm = (stallAllowed: boolean): void => {
    const dueMs = clock.monotonicMs() + timeoutMs;
    timer = clock.setTimer(timeoutMs, () => {
      if (stallAllowed && clock.monotonicMs() - dueMs > STALL_MS) arm(false);
      else onExpired();
    });
  };
  arm(true);
  return { cancel: () => timer.cancel() };
}
