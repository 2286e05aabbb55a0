// Runs a re-read (which also re-arms its one-shot watch) once per trigger, never two at a time, coalescing bursts.
import type { Clock, TimerHandle } from '../platform/clock.js';

export interface RefresherOptions {
  readonly clock: Clock;
  readonly retryDelayMs: number;
  /** Does the re-read, re-arms the watch and publishes the result. */
  readonly refresh: () => Promise<void>;
  /** Whether a failed refresh should be retried later (false while disconnected: the reconnect triggers one). */
  readonly shouldRetry: () => boolean;
  readonly onError: (error: unknown) => void;
}

/**
 * Triggers during a running refresh collapse into exactly one follow-up run, so results are published in
 * order and a watch is re-armed once per event, not once per trigger source.
 */
export class Refresher {
  private running = false;
  private again = false;
  private stopped = false;
  private retryTimer: TimerHandle | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: RefresherOptions) {}

  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.running = true;
    void this.loop();
  }

  /** Resolves once no refresh is running (at once if none is). */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
  }

  private async loop(): Promise<void> {
    let failed = false;
    do {
      this.again = false;
      failed = false;
      try {
        await this.options.refresh();
      } catch (error) {
        failed = true;
        if (!this.stopped) this.options.onError(error);
      }
    } while (this.again && !this.stopped);
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
    if (failed && !this.stopped && this.options.shouldRetry()) {
      this.retryTimer = this.options.clock.setTimer(this.options.retryDelayMs, () => {
        this.retryTimer = undefined;
        this.trigger();
      });
    }
  }
}
