// A hand-driven Clock for unit tests: timers fire only when the test advances time.
import type { Clock, TimerHandle } from '../../src/platform/clock.js';

interface Timer {
  readonly dueMs: number;
  readonly callback: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private nowMs = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.nowMs;
  }

  monotonicMs(): number {
    return this.nowMs;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer: Timer = { dueMs: this.nowMs + delayMs, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  advance(ms: number): void {
    this.nowMs += ms;
    const due = this.timers.filter((t) => !t.cancelled && t.dueMs <= this.nowMs).sort((a, b) => a.dueMs - b.dueMs);
    this.timers = this.timers.filter((t) => !t.cancelled && t.dueMs > this.nowMs);
    for (const timer of due) timer.callback();
  }

  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
