// The watch re-read loop: one run per trigger, bursts coalesced into one follow-up, retry after failure only when allowed.
import { describe, expect, it } from 'vitest';
import { Refresher } from '../../src/coord/refresher.js';
import { ManualClock } from '../helpers/manual-clock.js';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve = (): void => undefined;
  let reject: (e: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Refresher', () => {
  it('runs once per trigger when idle', async () => {
    let runs = 0;
    const refresher = new Refresher({
      clock: new ManualClock(),
      retryDelayMs: 100,
      refresh: async () => {
        runs += 1;
      },
      shouldRetry: () => true,
      onError: () => undefined,
    });
    refresher.trigger();
    await refresher.whenIdle();
    refresher.trigger();
    await refresher.whenIdle();
    expect(runs).toBe(2);
  });

  it('coalesces triggers during a run into exactly one follow-up run', async () => {
    const gates = [deferred(), deferred()];
    let runs = 0;
    const refresher = new Refresher({
      clock: new ManualClock(),
      retryDelayMs: 100,
      refresh: () => gates[runs++]?.promise ?? Promise.resolve(),
      shouldRetry: () => true,
      onError: () => undefined,
    });
    refresher.trigger();
    refresher.trigger();
    refresher.trigger();
    refresher.trigger();
    expect(runs).toBe(1);
    gates[0]?.resolve();
    await flush();
    expect(runs).toBe(2);
    gates[1]?.resolve();
    await refresher.whenIdle();
    expect(runs).toBe(2);
  });

  it('retries a failed run after the delay only when shouldRetry says so, and stop cancels it', async () => {
    const clock = new ManualClock();
    let runs = 0;
    let allowRetry = true;
    const errors: unknown[] = [];
    const refresher = new Refresher({
      clock,
      retryDelayMs: 100,
      refresh: async () => {
        runs += 1;
        throw new Error(`boom ${runs}`);
      },
      shouldRetry: () => allowRetry,
      onError: (error) => errors.push(error),
    });
    refresher.trigger();
    await refresher.whenIdle();
    expect(runs).toBe(1);
    clock.advance(99);
    expect(runs).toBe(1);
    // Checked when a run fails: the retry already scheduled still happens, the next failure is not retried.
    allowRetry = false;
    clock.advance(1);
    await refresher.whenIdle();
    expect(runs).toBe(2);
    clock.advance(1_000);
    await flush();
    expect(runs).toBe(2);
    expect(errors).toHaveLength(2);

    allowRetry = true;
    refresher.trigger();
    await refresher.whenIdle();
    refresher.stop();
    clock.advance(1_000);
    await flush();
    expect(runs).toBe(3);
  });
});
