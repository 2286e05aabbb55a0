// The restore status records each step of a copy with its duration, failed steps included.
import { describe, expect, it } from 'vitest';
import { RestoreStatus } from '../../src/runtime/restore-status.js';

function steppingClock(): { clock: { now: () => number; monotonicMs: () => number }; advance: (ms: number) => void } {
  let monotonic = 1_000;
  return { clock: { now: () => Date.UTC(2026, 11, 2), monotonicMs: () => monotonic }, advance: (ms) => { monotonic += ms; } };
}

describe('RestoreStatus', () => {
  it('records the steps of a copy in order, with the time each took, and starts afresh with the next copy', async () => {
    const { clock, advance } = steppingClock();
    const status = new RestoreStatus(clock);
    status.begin('rebuild', '10.0.0.2:5432:10002');
    expect(await status.step('isolate', async () => { advance(380); return 'kept'; })).toBe('kept');
    await status.step('stream', async () => advance(1_200));
    expect(status.view().steps).toEqual([{ name: 'isolate', durationMs: 380 }, { name: 'stream', durationMs: 1_200 }]);
    status.finish();
    expect(status.view()).toMatchObject({ state: 'done', finishedAt: '2026-12-02T00:00:00.000Z' });
    status.begin('seed', '10.0.0.3:5432:10002');
    expect(status.view().steps).toEqual([]);
  });

  it('records a step that failed, and passes its error on', async () => {
    const { clock, advance } = steppingClock();
    const status = new RestoreStatus(clock);
    status.begin('seed', '10.0.0.2:5432:10002');
    await expect(status.step('stream', async () => { advance(50); throw new Error('stream broke'); })).rejects.toThrow('stream broke');
    expect(status.view().steps).toEqual([{ name: 'stream', durationMs: 50 }]);
  });
});
