// The snapshotter's pure planner: due-ness, health gating, retention of the newest `keep`, foreign names untouched.
import { describe, expect, it } from 'vitest';
import { checkIntervalMs, planSnapshots, retention, type SnapshotPlanInput } from '../../src/backup/snapshot-plan.js';
import { parseSnapshotName, type SnapshotName } from '../../src/zfs/index.js';

const HOUR = 3_600_000;
const T0 = 1_763_782_800_000;
const at = (offsetMs: number): SnapshotName => parseSnapshotName(String(T0 + offsetMs));

function plan(overrides: Partial<SnapshotPlanInput>) {
  return planSnapshots({ snapshots: [], nowMs: T0, healthy: true, policy: { periodMs: HOUR, keep: 3 }, ...overrides });
}

describe('planSnapshots: when to take a snapshot', () => {
  it('takes the first one at once when healthy, named by the time in epoch ms', () => {
    expect(plan({})).toEqual({ takeSnapshot: true, name: String(T0), destroy: [] });
  });

  it('never snapshots while PostgreSQL is unhealthy or its health was not asked', () => {
    expect(plan({ healthy: false })).toMatchObject({ takeSnapshot: false, skipReason: 'unhealthy' });
    expect(plan({ healthy: null })).toMatchObject({ takeSnapshot: false, skipReason: 'unhealthy' });
  });

  it('waits a full period after the newest Dugong snapshot', () => {
    const snapshots = [at(0)];
    expect(plan({ snapshots, nowMs: T0 + HOUR - 1 })).toMatchObject({ takeSnapshot: false, skipReason: 'not-due' });
    expect(plan({ snapshots, nowMs: T0 + HOUR })).toMatchObject({ takeSnapshot: true, name: at(HOUR) });
    // Not due beats unhealthy: health is only asked when a snapshot is due.
    expect(plan({ snapshots, nowMs: T0 + 1, healthy: null })).toMatchObject({ skipReason: 'not-due' });
  });

  it('does not snapshot when the clock is behind the newest snapshot (a name collision or a reversed order)', () => {
    expect(plan({ snapshots: [at(HOUR)], nowMs: T0 })).toMatchObject({ takeSnapshot: false, skipReason: 'clock-behind' });
    expect(plan({ snapshots: [at(0)], nowMs: T0 })).toMatchObject({ takeSnapshot: false, skipReason: 'clock-behind' });
  });

  it('ignores foreign names when deciding whether a snapshot is due', () => {
    expect(plan({ snapshots: ['before-upgrade', '9999999999999x'], nowMs: T0 })).toMatchObject({ takeSnapshot: true });
  });
});

describe('planSnapshots: retention', () => {
  const four = [at(0), at(HOUR), at(2 * HOUR), at(3 * HOUR)];

  it('keeps the newest `keep`, counting the one about to be taken, and destroys oldest first', () => {
    const result = plan({ snapshots: four, nowMs: T0 + 4 * HOUR });
    expect(result).toEqual({ takeSnapshot: true, name: at(4 * HOUR), destroy: [at(0), at(HOUR)] });
  });

  it('still prunes to `keep` when no snapshot is taken, and never the newest', () => {
    const result = plan({ snapshots: four, nowMs: T0 + 4 * HOUR, healthy: false });
    expect(result).toEqual({ takeSnapshot: false, skipReason: 'unhealthy', destroy: [at(0)] });
    const keepOne = plan({ snapshots: four, nowMs: T0 + 3 * HOUR + 1, policy: { periodMs: HOUR, keep: 1 } });
    expect(keepOne.destroy).toEqual([at(0), at(HOUR), at(2 * HOUR)]);
    expect(keepOne.destroy).not.toContain(at(3 * HOUR));
  });

  it('never destroys or counts a snapshot whose name it did not make', () => {
    const snapshots = ['before-upgrade', at(0), 'manual', at(HOUR), '0123456789012', at(2 * HOUR), `${at(0)}x`];
    const result = plan({ snapshots, nowMs: T0 + 3 * HOUR, policy: { periodMs: HOUR, keep: 2 } });
    expect(result).toEqual({ takeSnapshot: true, name: at(3 * HOUR), destroy: [at(0), at(HOUR)] });
  });

  it('treats keep < 1 as 1: the newest always stays', () => {
    expect(retention([at(0), at(1)], 0)).toEqual([at(0)]);
    expect(retention([at(0)], 1)).toEqual([]);
    expect(retention([], 3)).toEqual([]);
  });
});

describe('checkIntervalMs', () => {
  it('looks four times per period, between 250 ms and a minute', () => {
    expect(checkIntervalMs(HOUR)).toBe(60_000);
    expect(checkIntervalMs(60_000)).toBe(15_000);
    expect(checkIntervalMs(400)).toBe(250);
  });
});
