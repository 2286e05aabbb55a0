// PURE: decides whether the snapshotter takes a snapshot now and which of its own old snapshots to destroy.
import { isSnapshotName, snapshotEpochMs, snapshotNameAt, type SnapshotName } from '../zfs/names.js';

export interface SnapshotPolicy {
  /** A new snapshot is due this long after the newest Dugong snapshot. */
  readonly periodMs: number;
  /** Dugong snapshots kept, newest first (at least 1: the newest is never destroyed). */
  readonly keep: number;
}

export interface SnapshotPlanInput {
  /** The dataset's snapshot names, oldest first (as listSnapshots orders them); names not Dugong's are ignored. */
  readonly snapshots: readonly string[];
  readonly nowMs: number;
  /** PostgreSQL's health from the status API; null when not asked (it is asked only when a snapshot is due). */
  readonly healthy: boolean | null;
  readonly policy: SnapshotPolicy;
}

/** Why no snapshot is taken: closed union, in the order they are checked. */
export type SkipReason = 'clock-behind' | 'not-due' | 'unhealthy';

export type SnapshotPlan =
  | { readonly takeSnapshot: true; readonly name: SnapshotName; readonly destroy: readonly SnapshotName[] }
  | { readonly takeSnapshot: false; readonly skipReason: SkipReason; readonly destroy: readonly SnapshotName[] };

/** Only names Dugong made (13-digit epoch ms): a hand-made `@before-upgrade` is never counted, listed or destroyed. */
export function ownSnapshots(snapshots: readonly string[]): SnapshotName[] {
  return snapshots.filter(isSnapshotName);
}

/** How often the loop looks: often enough that a period skipped for ill health is caught up soon, at most once a minute. */
export function checkIntervalMs(periodMs: number): number {
  return Math.min(60_000, Math.max(250, Math.floor(periodMs / 4)));
}

export function skipReasonBeforeHealth(own: readonly SnapshotName[], nowMs: number, periodMs: number): SkipReason | null {
  const newest = own[own.length - 1];
  if (newest === undefined) return null;
  // A clock stepped back would name the new snapshot before (or as) the newest: the order peers rely on would break.
  if (snapshotEpochMs(newest) >= Math.trunc(nowMs)) return 'clock-behind';
  return nowMs - snapshotEpochMs(newest) >= periodMs ? null : 'not-due';
}

/** Keeps the newest `keep` of `own` (oldest first); the rest, oldest first, are to be destroyed. */
export function retention(own: readonly SnapshotName[], keep: number): SnapshotName[] {
  const excess = own.length - Math.max(1, Math.trunc(keep));
  return excess > 0 ? own.slice(0, excess) : [];
}

export function planSnapshots(input: SnapshotPlanInput): SnapshotPlan {
  const own = ownSnapshots(input.snapshots);
  const early = skipReasonBeforeHealth(own, input.nowMs, input.policy.periodMs);
  const skipReason: SkipReason | null = early ?? (input.healthy === true ? null : 'unhealthy');
  if (skipReason !== null) return { takeSnapshot: false, skipReason, destroy: retention(own, input.policy.keep) };
  const name = snapshotNameAt(Math.trunc(input.nowMs));
  // The new snapshot counts towards `keep`; it is the newest, so retention never picks it.
  return { takeSnapshot: true, name, destroy: retention([...own, name], input.policy.keep).filter((snapshot) => snapshot !== name) };
}
