// setDeadline: a deadline counts only time this process was running, so its own pause is not blamed on the other side.
import { describe, expect, it } from 'vitest';
import { setDeadline } from '../../src/platform/timeout.js';
import { ManualClock } from '../helpers/manual-clock.js';

describe('setDeadline', () => {
  it('expires on time when the process kept running', () => {
    const clock = new ManualClock();
    let expired = 0;
    setDeadline(clock, 2_000, () => (expired += 1));
    clock.advance(1_999);
    expect(expired).toBe(0);
    clock.advance(1);
    expect(expired).toBe(1);
    clock.advance(10_000);
    expect(expired).toBe(1);
  });

  it('after a stall (timer noticed far past due) waits one more timeout from the resume, then expires', () => {
    const clock = new ManualClock();
    let expired = 0;
    setDeadline(clock, 2_000, () => (expired += 1));
    // SIGSTOP for 5 s: the timer runs 3 s late, while an answer may be waiting unread in the socket.
    clock.advance(5_000);
    expect(expired).toBe(0);
    clock.advance(1_999);
    expect(expired).toBe(0);
    clock.advance(1);
    expect(expired, 'a peer that stays silent still times out').toBe(1);
  });

  it('gives only one extra period: a second stall expires it', () => {
    const clock = new ManualClock();
    let expired = 0;
    setDeadline(clock, 1_000, () => (expired += 1));
    clock.advance(4_000);
    clock.advance(4_000);
    expect(expired).toBe(1);
  });

  it('treats small lateness as jitter, and cancel stops it in either period', () => {
    const clock = new ManualClock();
    let expired = 0;
    setDeadline(clock, 1_000, () => (expired += 1));
    clock.advance(1_400);
    expect(expired, '400 ms late is event-loop jitter, not a stall').toBe(1);
    const first = setDeadline(clock, 1_000, () => (expired += 1));
    first.cancel();
    clock.advance(1_000);
    const second = setDeadline(clock, 1_000, () => (expired += 1));
    clock.advance(3_000);
    second.cancel();
    clock.advance(2_000);
    expect(expired).toBe(1);
  });
});
