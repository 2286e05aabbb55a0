// The public surface of src/zfs: the Zfs interface and factory, name validation, and the types they use.
export { createZfs, type Zfs, type ZfsOptions } from './zfs.js';
export {
  formatSnapshotRef,
  isDatasetName,
  isSnapshotName,
  parseDatasetName,
  parseMountpoint,
  parsePropertyName,
  parseSnapshotName,
  parseSnapshotRef,
  snapshotEpochMs,
  snapshotNameAt,
  snapshotRef,
  type DatasetName,
  type SnapshotName,
  type SnapshotRef,
} from './names.js';
export type { CreateDatasetOptions, DestroyOptions, UnmountOptions } from './dataset.js';
export { isolatedName, type IsolatedDataset, type IsolateOptions } from './isolate.js';
export type { SnapshotInfo } from './parse.js';
export type { ReceiveOptions } from './recv.js';
export type { SendOptions, SendSpec, SendStream } from './send.js';
export type { SendSizeEstimate } from './send-size.js';
export type { RollbackOptions } from './snapshot.js';
export type { ZfsTarget } from './target.js';
