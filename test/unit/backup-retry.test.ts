// Retry with backoff on a hand-driven clock: delays grow and cap, hopeless errors stop at once, an abort ends the wait.
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, retryWithBackoff } from '../../src/backup/retry.js';
import { isRetryableKind } from '../../src/backup/restore-errors.js';
import { ManualClock } from '../helpers/manual-clock.js';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('backoffDelayMs', () => {
  it('grows by the factor and is capped', () => {
    const policy = { attempts: 10, initialDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(policy, attempt))).toEqual([100, 200, 400, 800, 1_000]);
    expect(backoffDelayMs({ ...policy, factor: 3 }, 3)).toBe(900);
  });
});

describe('retryWithBackoff', () => {
  it('waits the backoff between attempts and returns the first success', async () => {
    const clock = new ManualClock();
    const delays: (number | null)[] = [];
    let calls = 0;
    const result = retryWithBackoff(
      async (attempt) => {
        calls += 1;
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return 'ok';
      },
      { policy: { attempts: 5, initialDelayMs: 100, maxDelayMs: 1_000 }, clock, isRetryable: () => true, onAttemptFailed: (f) => delays.push(f.nextDelayMs) },
    );
    await flush();
    expect(calls).toBe(1);
    clock.advance(99);
    await flush();
    expect(calls).toBe(1);
    clock.advance(1);
    await flush();
    expect(calls).toBe(2);
    clock.advance(200);
    await expect(result).resolves.toBe('ok');
    expect(delays).toEqual([100, 200]);
  });

  it('gives up at once on a non-retryable error and after the last attempt', async () => {
    const clock = new ManualClock();
    const hopeless = new Error('hopeless');
    await expect(retryWithBackoff(() => Promise.reject(hopeless), { policy: { attempts: 5, initialDelayMs: 1, maxDelayMs: 1 }, clock, isRetryable: () => false })).rejects.toBe(hopeless);
    const last: (number | null)[] = [];
    await expect(
      retryWithBackoff((attempt) => Promise.reject(new Error(`fail ${attempt}`)), {
        policy: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1 }, clock, isRetryable: () => true, onAttemptFailed: (f) => last.push(f.nextDelayMs),
      }),
    ).rejects.toThrow('fail 1');
    expect(last).toEqual([null]);
  });

  it('ends the wait when the signal is aborted', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const running = retryWithBackoff(() => Promise.reject(new Error('down')), {
      policy: { attempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000 }, clock, isRetryable: () => true, signal: controller.signal,
    });
    await flush();
    controller.abort(new Error('stop now'));
    await expect(running).rejects.toThrow('stop now');
  });
});

describe('isRetryableKind', () => {
  it('retries transport trouble and busy or failing servers, never refusals, receive failures or aborts', () => {
    expect(['unreachable', 'truncated', 'stalled'].every((kind) => isRetryableKind(kind as 'unreachable'))).toBe(true);
    expect([429, 500, 503].map((status) => isRetryableKind('http', status))).toEqual([true, true, true]);
    expect([400, 401, 404, 409].map((status) => isRetryableKind('http', status))).toEqual([false, false, false, false]);
    expect(['protocol', 'receive', 'aborted'].some((kind) => isRetryableKind(kind as 'receive'))).toBe(false);
  });
});
