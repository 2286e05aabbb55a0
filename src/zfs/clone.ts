// Clone-and-promote: a new dataset that owns a snapshot of an isolated one, so that an incremental stream can follow it.
import { runZfs } from './command.js';
import type { ZfsContext } from './context.js';
import { parseDatasetName, parseSnapshotName, type DatasetName, type SnapshotRef } from './names.js';

/**
 * `zfs clone -o canmount=noauto -o mountpoint=none <snapshot> <dataset>` then `zfs promote <dataset>`: the new
 * dataset owns the snapshot (and every older one), the source becomes its clone and keeps its later snapshots and
 * data untouched. A plain clone cannot take an incremental receive on every ZFS (zfs-fuse refuses it); a promoted
 * clone can, because the snapshot is then its own newest. The source can only be destroyed after the new dataset.
 */
export async function cloneAndPromote(ctx: ZfsContext, snapshot: SnapshotRef, dataset: DatasetName): Promise<void> {
  const target = parseDatasetName(dataset);
  const origin = `${parseDatasetName(snapshot.dataset)}@${parseSnapshotName(snapshot.snapshot)}`;
  await runZfs(ctx, ['clone', '-o', 'mountpoint=none', origin, target]);
  await promote(ctx, target);
  ctx.log.info({ origin, dataset: target }, 'cloned and promoted');
}

/** `zfs promote <dataset>`: a clone takes over its origin snapshot (and older ones) from its source. */
export async function promote(ctx: ZfsContext, dataset: DatasetName): Promise<void> {
  await runZfs(ctx, ['promote', parseDatasetName(dataset)]);
}
