// A zfs command target (a dataset or one of its snapshots), re-validated here so a cast string never reaches the CLI.
import { formatSnapshotRef, parseDatasetName, parseSnapshotName, type DatasetName, type SnapshotRef } from './names.js';

export type ZfsTarget = DatasetName | SnapshotRef;

export function isSnapshotTarget(target: ZfsTarget): target is SnapshotRef {
  return typeof target === 'object' && target !== null;
}

/** The validated name as zfs expects it: `pool/ds` or `pool/ds@1763782800000`. */
export function targetName(target: ZfsTarget): string {
  if (isSnapshotTarget(target)) {
    return formatSnapshotRef({ dataset: parseDatasetName(target.dataset), snapshot: parseSnapshotName(target.snapshot) });
  }
  return parseDatasetName(target);
}

export function validSnapshotRef(ref: SnapshotRef): SnapshotRef {
  return { dataset: parseDatasetName(ref.dataset), snapshot: parseSnapshotName(ref.snapshot) };
}
