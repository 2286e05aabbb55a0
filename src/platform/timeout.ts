// Bounds any promise by a deadline, so no adapter call can hang forever.
import { DugongError, type ErrorCode } from '../errors.js';
import { systemClock, type Clock } from './clock.js';

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
