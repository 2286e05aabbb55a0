// One snapshotter round with a fake Zfs and probe: health asked only when due, failures logged and survived.
import { describe, expect, it, vi } from 'vitest';
import { runSnapshotRound, type SnapshotRoundDeps } from '../../src/backup/snapshot-apply.js';
import { startSnapshotter } from '../../src/backup/snapshotter.js';
import { silentLogger } from '../../src/log.js';
import { parseDatasetName } from '../../src/zfs/index.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { fakeZfs, type FakeZfs } from './backup-fake-zfs.js';

const DATASET = parseDatasetName('tank/dugong/peer1');
const HOUR = 3_600_000;
const T0 = 1_763_782_800_000;
const name = (offsetMs: number): string => String(T0 + offsetMs);

function deps(zfs: FakeZfs, healthy: boolean, nowMs: number): SnapshotRoundDeps & { probe: ReturnType<typeof vi.fn>; clock: ManualClock } {
  const clock = new ManualClock();
  clock.advance(nowMs);
  const probe = vi.fn(async () => ({ healthy, detail: healthy ? 'HTTP 200' : 'HTTP 503' }));
  return { zfs, dataset: DATASET, probe, clock, log: silentLogger(), policy: { periodMs: HOUR, keep: 2 } };
}

describe('runSnapshotRound', () => {
  it('takes a due snapshot when healthy and prunes its own oldest, leaving foreign ones', async () => {
    const zfs = fakeZfs(DATASET, [name(0), 'before-upgrade', name(HOUR)]);
    const report = await runSnapshotRound(deps(zfs, true, T0 + 2 * HOUR));
    expect(report).toMatchObject({ took: name(2 * HOUR), destroyed: [name(0)], destroyFailures: [], skipReason: null });
    expect(zfs.snapshots.get(DATASET)).toEqual(['before-upgrade', name(HOUR), name(2 * HOUR)]);
  });

  it('takes nothing while unhealthy, and does not ask for health when nothing is due', async () => {
    const zfs = fakeZfs(DATASET, [name(0)]);
    const unhealthy = deps(zfs, false, T0 + HOUR);
    expect(await runSnapshotRound(unhealthy)).toMatchObject({ took: null, skipReason: 'unhealthy', health: { healthy: false } });
    expect(unhealthy.probe).toHaveBeenCalledTimes(1);
    const early = deps(zfs, true, T0 + HOUR - 1);
    expect(await runSnapshotRound(early)).toMatchObject({ took: null, skipReason: 'not-due', health: null });
    expect(early.probe).not.toHaveBeenCalled();
    expect(zfs.calls.filter((call) => call.startsWith('snapshot'))).toEqual([]);
  });

  it('logs a destroy zfs refuses (dependent clone) and goes on with the others', async () => {
    const zfs = fakeZfs(DATASET, [name(0), name(1), name(HOUR)]);
    zfs.undestroyable.add(name(0));
    const report = await runSnapshotRound(deps(zfs, true, T0 + 2 * HOUR));
    expect(report.destroyed).toEqual([name(1)]);
    expect(report.destroyFailures).toEqual([{ snapshot: name(0), error: expect.stringMatching(/dependent clones/) }]);
  });

  it('destroys nothing when the snapshot could not be taken', async () => {
    const zfs = fakeZfs(DATASET, [name(0), name(1), name(HOUR)]);
    zfs.snapshot = async () => {
      throw new Error('out of space');
    };
    const report = await runSnapshotRound(deps(zfs, true, T0 + 2 * HOUR));
    expect(report).toMatchObject({ took: null, snapshotError: 'out of space', destroyed: [] });
    expect(zfs.calls.some((call) => call.startsWith('destroy'))).toBe(false);
  });
});

describe('startSnapshotter', () => {
  it('runs a round at once, then every check interval, and survives a failing round', async () => {
    const zfs = fakeZfs(DATASET, []);
    const d = deps(zfs, true, T0);
    let listings = 0;
    const list = zfs.listSnapshots.bind(zfs);
    zfs.listSnapshots = async (dataset) => {
      listings += 1;
      if (listings === 2) throw new Error('pool busy');
      return list(dataset);
    };
    const rounds: unknown[] = [];
    const snapshotter = startSnapshotter({ ...d, onRound: (report) => rounds.push(report) });
    await vi.waitFor(() => expect(rounds).toHaveLength(1));
    // The next round is scheduled only once the previous one has finished: never two at once.
    await vi.waitFor(() => expect(d.clock.pending()).toBe(1));
    d.clock.advance(60_000);
    await vi.waitFor(() => expect(listings).toBe(2));
    await vi.waitFor(() => expect(d.clock.pending()).toBe(1));
    d.clock.advance(HOUR);
    await vi.waitFor(() => expect(rounds).toHaveLength(2));
    await snapshotter.stop();
    expect(d.clock.pending()).toBe(0);
    expect(zfs.snapshots.get(DATASET)).toEqual([String(T0), String(T0 + 60_000 + HOUR)]);
  });
});
