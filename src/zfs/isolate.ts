// Rename-to-isolate: move a (diverged) dataset aside with its data intact, so that nothing mounts or uses it by accident.
import { DugongError, errorMessage, isDugongError } from '../errors.js';
import { runZfs } from './command.js';
import type { ZfsContext } from './context.js';
import { getProperties, setProperty, unmountMounted } from './dataset.js';
import { parseDatasetName, type DatasetName } from './names.js';

export interface IsolateOptions {
  /** Force the unmount (`-f`); only once the processes using the dataset were stopped. */
  readonly forceUnmount?: boolean;
}

export interface IsolatedDataset {
  /** `<dataset>-isolated-<epochMs>`: canmount=off, mountpoint=none. */
  readonly dataset: DatasetName;
  readonly originalDataset: DatasetName;
  /** The mountpoint it had, also kept in its `dugong:isolated-mountpoint` property for operators. */
  readonly originalMountpoint: string;
}

export function isolatedName(dataset: DatasetName, epochMs: number): DatasetName {
  return parseDatasetName(`${parseDatasetName(dataset)}-isolated-${Math.trunc(epochMs)}`);
}

async function renameOrRestore(ctx: ZfsContext, from: DatasetName, to: DatasetName, canmountBefore: string): Promise<void> {
  try {
    await runZfs(ctx, ['rename', from, to]);
  } catch (error) {
    // Not isolated after all: give the dataset its canmount back, so it is exactly as before except unmounted.
    await setProperty(ctx, from, 'canmount', canmountBefore).catch((restoreError: unknown) => {
      ctx.log.warn({ dataset: from, err: errorMessage(restoreError) }, 'could not restore canmount after a failed rename');
    });
    throw error;
  }
}

/**
 * Unmounts, sets canmount=off (before the rename: a crash in between must not leave a mountable copy under a new
 * name), renames to `<dataset>-isolated-<epochMs>`, then sets mountpoint=none and `dugong:isolated-*` properties.
 * The unmount comes first because zfs-fuse refuses to rename a mounted dataset ("dataset is busy"). Meant for
 * Dugong's own datasets, which have no children (mounted children would make the unmount fail).
 */
export async function isolate(ctx: ZfsContext, dataset: DatasetName, options: IsolateOptions = {}): Promise<IsolatedDataset> {
  const original = parseDatasetName(dataset);
  const epochMs = ctx.clock.now();
  const target = isolatedName(original, epochMs);
  const before = await getProperties(ctx, original, ['mountpoint', 'canmount', 'mounted']);
  const mountpoint = before.mountpoint ?? 'none';
  if (before.mounted === 'yes') await unmountMounted(ctx, original, { force: options.forceUnmount === true });
  await setProperty(ctx, original, 'canmount', 'off');
  await renameOrRestore(ctx, original, target, before.canmount ?? 'on');
  try {
    // Independent writes, one zfs call each (zfs-fuse sets one property per call): in parallel, as a rebuild waits on them.
    await Promise.all([
      setProperty(ctx, target, 'mountpoint', 'none'),
      setProperty(ctx, target, 'dugong:isolated-from', original),
      setProperty(ctx, target, 'dugong:isolated-mountpoint', mountpoint),
      setProperty(ctx, target, 'dugong:isolated-at', String(epochMs)),
    ]);
  } catch (error) {
    // Already safe (renamed, canmount=off); say what is left to do rather than pretend nothing happened.
    const details = { ...(isDugongError(error) ? error.details : {}), dataset: original, isolatedAs: target };
    const message = `isolated ${original} as ${target} but could not finish labelling it: ${errorMessage(error)}`;
    throw new DugongError('DUGONG_ERR_COMMAND_FAILED', message, details, { cause: error });
  }
  ctx.log.info({ dataset: original, isolatedAs: target, mountpoint }, 'dataset isolated');
  return { dataset: target, originalDataset: original, originalMountpoint: mountpoint };
}
