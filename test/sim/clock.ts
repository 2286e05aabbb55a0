// The Clock the simulated runners use: virtual time read from the event queue, timers scheduled as queue events.
import type { Clock, TimerHandle } from '../../src/platform/clock.js';
import type { EventQueue } from './queue.js';

export class SimClock implements Clock {
  constructor(
    private readonly queue: EventQueue,
    private readonly startMs: number,
  ) {}

  now(): number {
    return this.queue.nowMs;
  }

  monotonicMs(): number {
    return this.queue.nowMs - this.startMs;
  }

  /** A cancelled timer still pops from the queue (as a no-op): removing it from the heap would cost more than it saves. */
  setTimer(delayMs: number, callback: () => void): TimerHandle {
    let cancelled = false;
    this.queue.after(delayMs, () => {
      if (!cancelled) callback();
    });
    return { cancel: () => void (cancelled = true) };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }
}
