// PURE: the newest snapshot two peers both hold, the base of an incremental restore.
import { isSnapshotName, type SnapshotName } from '../zfs/names.js';

/**
 * The newest of `local` (oldest first, as listSnapshots returns them) that `remote` also has; undefined when they
 * share none (then only a full stream will do). Names that are not Dugong's are ignored on both sides.
 */
export function newestCommonSnapshot(local: readonly string[], remote: readonly string[]): SnapshotName | undefined {
  const theirs = new Set(remote.filter(isSnapshotName));
  for (let index = local.length - 1; index >= 0; index -= 1) {
    const name = local[index];
    if (isSnapshotName(name) && theirs.has(name)) return name;
  }
  return undefined;
}
