// What every backup server route needs: the one dataset it serves, zfs, the job table, a clock, ids and a logger.
import type { Logger } from '../log.js';
import type { Clock } from '../platform/clock.js';
import type { DatasetName, Zfs } from '../zfs/index.js';
import type { SendJobTable } from './send-jobs.js';

export interface BackupServerContext {
  readonly dataset: DatasetName;
  readonly zfs: Zfs;
  readonly jobs: SendJobTable;
  readonly clock: Clock;
  /** A fresh, unguessable job id (letters, digits, `-`, `_`; at most 64 characters). */
  readonly newJobId: () => string;
  readonly log: Logger;
}
