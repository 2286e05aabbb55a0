// Repeats a probe until it reports done or the budget runs out; the timeout error carries the probe's last reason.
import { DugongError, errorMessage } from '../errors.js';
import type { Clock } from '../platform/clock.js';

export interface PollResult<T> {
  readonly done: boolean;
  readonly value: T;
  /** Why not done yet, for the timeout message. */
  readonly reason: string;
}

export interface PollSpec {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** What is awaited, for the timeout message. */
  readonly what: string;
}

/**
 * The probe receives the time left so that its own call fits in the budget. A probe that throws counts as
 * "not yet" (the server may be restarting its walreceiver, or still starting) until the budget is gone.
 */
export async function pollUntil<T>(spec: PollSpec, probe: (remainingMs: number) => Promise<PollResult<T>>): Promise<T> {
  const deadlineMs = spec.clock.monotonicMs() + spec.timeoutMs;
  let lastReason = 'not checked yet';
  for (;;) {
    const remainingMs = Math.max(1, Math.round(deadlineMs - spec.clock.monotonicMs()));
    try {
      const result = await probe(remainingMs);
      if (result.done) return result.value;
      lastReason = result.reason;
    } catch (error) {
      lastReason = errorMessage(error);
    }
    if (spec.clock.monotonicMs() + spec.intervalMs >= deadlineMs) break;
    await spec.clock.sleep(spec.intervalMs);
  }
  throw new DugongError('DUGONG_ERR_PG_TIMEOUT', `${spec.what} did not happen within ${spec.timeoutMs} ms: ${lastReason}`, {
    what: spec.what,
    timeoutMs: spec.timeoutMs,
    lastReason,
  });
}
