// The Zfs interface that runners and the backup server take injected, and its implementation over the zfs CLI.
import type { Readable } from 'node:stream';
import { silentLogger, type Logger } from '../log.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { ZfsContext } from './context.js';
import * as datasets from './dataset.js';
import type { CreateDatasetOptions, DestroyOptions, UnmountOptions } from './dataset.js';
import { cloneAndPromote, promote } from './clone.js';
import { isolate, type IsolatedDataset, type IsolateOptions } from './isolate.js';
import type { DatasetName, SnapshotName, SnapshotRef } from './names.js';
import type { SnapshotInfo } from './parse.js';
import { receive, type ReceiveOptions } from './recv.js';
import { send, type SendOptions, type SendSpec, type SendStream } from './send.js';
import { estimateSendSize, type SendSizeEstimate } from './send-size.js';
import { createSnapshot, listSnapshots, rollback, type RollbackOptions } from './snapshot.js';
import { defaultMountLockFile } from './mount-lock.js';
import type { ZfsTarget } from './target.js';

/** Every name is validated again at run time (DUGONG_ERR_ZFS_NAME_INVALID) before any command starts. */
export interface Zfs {
  createDataset(dataset: DatasetName, options?: CreateDatasetOptions): Promise<void>;
  exists(target: ZfsTarget): Promise<boolean>;
  isMounted(dataset: DatasetName): Promise<boolean>;
  mount(dataset: DatasetName): Promise<void>;
  unmount(dataset: DatasetName, options?: UnmountOptions): Promise<void>;
  getProperty(target: ZfsTarget, property: string): Promise<string | undefined>;
  setProperty(dataset: DatasetName, property: string, value: string): Promise<void>;
  snapshot(dataset: DatasetName, snapshot?: SnapshotName): Promise<SnapshotRef>;
  listSnapshots(dataset: DatasetName): Promise<SnapshotInfo[]>;
  destroy(target: ZfsTarget, options?: DestroyOptions): Promise<void>;
  isolate(dataset: DatasetName, options?: IsolateOptions): Promise<IsolatedDataset>;
  cloneAndPromote(snapshot: SnapshotRef, dataset: DatasetName): Promise<void>;
  promote(dataset: DatasetName): Promise<void>;
  rollback(snapshot: SnapshotRef, options?: RollbackOptions): Promise<void>;
  send(spec: SendSpec, options?: SendOptions): SendStream;
  estimateSendSize(spec: SendSpec): Promise<SendSizeEstimate>;
  receive(dataset: DatasetName, source: Readable, options?: ReceiveOptions): Promise<void>;
}

export interface ZfsOptions {
  /** Path of the zfs CLI (default `zfs` from PATH). */
  readonly zfsBinary?: string;
  /** Deadline for every non-streaming command; the child is killed when it passes (default 120 s). */
  readonly commandTimeoutMs?: number;
  /** How long a failed receive may take to remove its partial dataset (default 30 s). */
  readonly receiveCleanupTimeoutMs?: number;
  /** The host-wide mount lock (default: DEFAULT_MOUNT_LOCK_FILE on Linux, none elsewhere; null: none). */
  readonly mountLockFile?: string | null;
  readonly clock?: Clock;
  readonly log?: Logger;
}

export function createZfs(options: ZfsOptions = {}): Zfs {
  const ctx: ZfsContext = {
    zfsBinary: options.zfsBinary ?? 'zfs',
    commandTimeoutMs: options.commandTimeoutMs ?? 120_000,
    receiveCleanupTimeoutMs: options.receiveCleanupTimeoutMs ?? 30_000,
    mountLockFile: options.mountLockFile === undefined ? defaultMountLockFile() : options.mountLockFile,
    clock: options.clock ?? systemClock,
    log: options.log ?? silentLogger(),
    features: { sendDryRun: undefined },
  };
  return {
    createDataset: (dataset, createOptions) => datasets.createDataset(ctx, dataset, createOptions),
    exists: (target) => datasets.exists(ctx, target),
    isMounted: (dataset) => datasets.isMounted(ctx, dataset),
    mount: (dataset) => datasets.mount(ctx, dataset),
    unmount: (dataset, unmountOptions) => datasets.unmount(ctx, dataset, unmountOptions),
    getProperty: (target, property) => datasets.getProperty(ctx, target, property),
    setProperty: (dataset, property, value) => datasets.setProperty(ctx, dataset, property, value),
    snapshot: (dataset, snapshot) => createSnapshot(ctx, dataset, snapshot),
    listSnapshots: (dataset) => listSnapshots(ctx, dataset),
    destroy: (target, destroyOptions) => datasets.destroy(ctx, target, destroyOptions),
    isolate: (dataset, isolateOptions) => isolate(ctx, dataset, isolateOptions),
    cloneAndPromote: (snapshot, dataset) => cloneAndPromote(ctx, snapshot, dataset),
    promote: (dataset) => promote(ctx, dataset),
    rollback: (snapshot, rollbackOptions) => rollback(ctx, snapshot, rollbackOptions),
    send: (spec, sendOptions) => send(ctx, spec, sendOptions),
    estimateSendSize: (spec) => estimateSendSize(ctx, spec),
    receive: (dataset, source, receiveOptions) => receive(ctx, dataset, source, receiveOptions),
  };
}
