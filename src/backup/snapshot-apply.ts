// One snapshotter round: list, ask for health when a snapshot is due, take it, prune the oldest of Dugong's own.
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock } from '../platform/clock.js';
import type { DatasetName, SnapshotName, Zfs } from '../zfs/index.js';
import type { HealthProbe, HealthResult } from './health-probe.js';
import { ownSnapshots, planSnapshots, skipReasonBeforeHealth, type SkipReason, type SnapshotPolicy } from './snapshot-plan.js';

export interface SnapshotRoundDeps {
  readonly zfs: Zfs;
  readonly dataset: DatasetName;
  readonly probe: HealthProbe;
  readonly policy: SnapshotPolicy;
  readonly clock: Clock;
  readonly log: Logger;
}

export interface DestroyFailure {
  readonly snapshot: SnapshotName;
  readonly error: string;
}

export interface SnapshotRoundReport {
  readonly took: SnapshotName | null;
  readonly skipReason: SkipReason | null;
  /** Null when health was not asked (no snapshot due). */
  readonly health: HealthResult | null;
  readonly destroyed: readonly SnapshotName[];
  /** Destroys zfs refused (a clone depends on it, a send holds it): tried again next round. */
  readonly destroyFailures: readonly DestroyFailure[];
  /** The snapshot could not be taken; nothing was destroyed then. */
  readonly snapshotError: string | null;
}

async function destroyAll(deps: SnapshotRoundDeps, snapshots: readonly SnapshotName[]): Promise<Pick<SnapshotRoundReport, 'destroyed' | 'destroyFailures'>> {
  const destroyed: SnapshotName[] = [];
  const destroyFailures: DestroyFailure[] = [];
  for (const snapshot of snapshots) {
    try {
      // Never recursive: a snapshot with dependent clones stays (zfs refuses), and so do the clones.
      await deps.zfs.destroy({ dataset: deps.dataset, snapshot });
      destroyed.push(snapshot);
    } catch (error) {
      destroyFailures.push({ snapshot, error: errorMessage(error) });
      deps.log.warn({ snapshot, err: errorMessage(error) }, 'could not destroy an old snapshot; keeping it for now');
    }
  }
  if (destroyed.length > 0) deps.log.info({ destroyed }, 'pruned old snapshots');
  return { destroyed, destroyFailures };
}

export async function runSnapshotRound(deps: SnapshotRoundDeps): Promise<SnapshotRoundReport> {
  const names = (await deps.zfs.listSnapshots(deps.dataset)).map((info) => info.snapshot);
  // Health is asked only when a snapshot is due: the status API is not polled every check interval for nothing.
  const due = skipReasonBeforeHealth(ownSnapshots(names), deps.clock.now(), deps.policy.periodMs) === null;
  const health = due ? await deps.probe() : null;
  const plan = planSnapshots({ snapshots: names, nowMs: deps.clock.now(), healthy: health?.healthy ?? null, policy: deps.policy });
  if (!plan.takeSnapshot) {
    if (plan.skipReason !== 'not-due') deps.log.info({ skipReason: plan.skipReason, health: health?.detail }, 'no snapshot this round');
    return { took: null, skipReason: plan.skipReason, health, snapshotError: null, ...(await destroyAll(deps, plan.destroy)) };
  }
  try {
    await deps.zfs.snapshot(deps.dataset, plan.name);
  } catch (error) {
    deps.log.error({ snapshot: plan.name, err: errorMessage(error) }, 'could not take a snapshot; pruning nothing this round');
    return { took: null, skipReason: null, health, snapshotError: errorMessage(error), destroyed: [], destroyFailures: [] };
  }
  deps.log.info({ snapshot: plan.name }, 'snapshot taken');
  return { took: plan.name, skipReason: null, health, snapshotError: null, ...(await destroyAll(deps, plan.destroy)) };
}
