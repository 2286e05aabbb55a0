// Snapshot operations: take one (named by epoch milliseconds), list a dataset's own, roll back to one.
import { runZfs } from './command.js';
import type { ZfsContext } from './context.js';
import { parseDatasetName, parseSnapshotName, snapshotNameAt, type DatasetName, type SnapshotName, type SnapshotRef } from './names.js';
import { parseSnapshotList, type SnapshotInfo } from './parse.js';
import { targetName } from './target.js';

export interface RollbackOptions {
  /** `-r`: destroy the snapshots taken after the target (zfs refuses to roll back past them otherwise). */
  readonly destroyLaterSnapshots?: boolean;
}

/** Takes `<dataset>@<epochMs>`; the name defaults to the clock's current time. */
export async function createSnapshot(ctx: ZfsContext, dataset: DatasetName, snapshot?: SnapshotName): Promise<SnapshotRef> {
  const ref: SnapshotRef = {
    dataset: parseDatasetName(dataset),
    snapshot: snapshot === undefined ? snapshotNameAt(ctx.clock.now()) : parseSnapshotName(snapshot),
  };
  await runZfs(ctx, ['snapshot', targetName(ref)]);
  return ref;
}

/**
 * The dataset's own Dugong snapshots (not its children's, not hand-named ones), oldest first: by creation, then name.
 * One `zfs get -d 1` call: zfs-fuse's `zfs list` has no `-p`, so creation could only be read as a locale date there.
 */
export async function listSnapshots(ctx: ZfsContext, dataset: DatasetName): Promise<SnapshotInfo[]> {
  const name = parseDatasetName(dataset);
  const { stdout } = await runZfs(ctx, ['get', '-Hp', '-d', '1', '-o', 'name,property,value', 'creation,used,referenced', name]);
  return parseSnapshotList(name, stdout);
}

/** Rolls the dataset back to the snapshot, discarding every change made since (the caller keeps what it needs first). */
export async function rollback(ctx: ZfsContext, snapshot: SnapshotRef, options: RollbackOptions = {}): Promise<void> {
  await runZfs(ctx, ['rollback', ...(options.destroyLaterSnapshots === true ? ['-r'] : []), targetName(snapshot)]);
}
