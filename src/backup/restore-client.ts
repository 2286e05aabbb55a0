// Pulls a snapshot stream from a peer's backup server into `zfs recv` (unmounted): the receiving side of a restore.
import { errorMessage, isDugongError, type DugongError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock } from '../platform/clock.js';
import { parseSnapshotName, type DatasetName, type SnapshotName, type Zfs } from '../zfs/index.js';
import type { SendJobView } from './api.js';
import { restoreError } from './restore-errors.js';
import { createRemoteSend, openRemoteStream, type BackupEndpoint, type OpenedStream } from './restore-http.js';
import { TransferWatch } from './transfer-watch.js';

export interface RestoreProgress {
  readonly sendId: string;
  readonly snapshot: SnapshotName;
  readonly from: SnapshotName | null;
  readonly bytesReceived: number;
  /** The server's estimate (an upper bound on zfs-fuse for incrementals); may be passed. */
  readonly estimatedBytes: number;
  readonly finished: boolean;
}

export interface RestoreOptions {
  /** The upstream peer's backupUrl, `http://ip:port`. */
  readonly backupUrl: string;
  readonly secret: string;
  /** The local target. A full restore creates it (its parent must exist); an incremental needs `from` as its newest snapshot. */
  readonly dataset: DatasetName;
  /** The snapshot to fetch; default: the server's newest. */
  readonly snapshot?: SnapshotName;
  /** Incremental from this snapshot, which both sides hold; absent = a full stream. */
  readonly from?: SnapshotName;
  /** Ask the server to take a snapshot now and send that (instead of its newest existing one). */
  readonly fresh?: boolean;
  /** `zfs recv -F`: roll the target back to its newest snapshot first (an incremental over a modified target). */
  readonly force?: boolean;
  /** Whether `dataset` exists now, when the caller knows already (one zfs call less); asked otherwise. */
  readonly targetExists?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RestoreProgress) => void;
  readonly zfs: Zfs;
  readonly clock: Clock;
  readonly log: Logger;
  /** Bound on every call until its answer starts (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** The transfer is aborted when no byte arrives for this long (default 60 s). */
  readonly stallTimeoutMs?: number;
  /** Least time between two progress reports (default 1 s). */
  readonly progressIntervalMs?: number;
}

export interface RestoreResult {
  readonly dataset: DatasetName;
  readonly snapshot: SnapshotName;
  readonly from: SnapshotName | null;
  readonly sendId: string;
  readonly bytesReceived: number;
  readonly estimatedBytes: number;
  readonly durationMs: number;
}

function endpointOf(options: RestoreOptions): BackupEndpoint {
  return { backupUrl: options.backupUrl, secret: options.secret, clock: options.clock, requestTimeoutMs: options.requestTimeoutMs ?? 30_000 };
}

/** Names the reason a receive failed: the caller, a stall, a broken stream, or zfs refusing a complete one. */
function classifyFailure(error: unknown, watch: TransferWatch, options: RestoreOptions, job: SendJobView): DugongError {
  if (isDugongError(error, 'DUGONG_ERR_RESTORE_FAILED')) return error;
  const leftover = isDugongError(error) && typeof error.details['leftoverDataset'] === 'string' ? error.details['leftoverDataset'] : undefined;
  const details = { backupUrl: options.backupUrl, sendId: job.id, bytesReceived: watch.bytesReceived, ...(leftover === undefined ? {} : { leftoverDataset: leftover }) };
  const what = `restore of ${job.snapshot}${job.from === null ? '' : ` (incremental from ${job.from})`} from ${options.backupUrl} into ${options.dataset}`;
  if (watch.callerAborted) return restoreError('aborted', `${what} aborted after ${watch.bytesReceived} bytes`, details, error);
  if (watch.stalled) return restoreError('stalled', `${what} stalled after ${watch.bytesReceived} bytes: ${errorMessage(error)}`, details, error);
  if (watch.bodyError !== undefined) {
    return restoreError('truncated', `${what}: the stream broke off after ${watch.bytesReceived} bytes (${errorMessage(watch.bodyError)})`, details, error);
  }
  return restoreError('receive', `${what}: zfs recv failed: ${errorMessage(error)}`, details, error);
}

/**
 * Wires body → counter → zfs recv by hand rather than with pipeline(): only an error of the body itself means a
 * truncated stream. pipeline() would also destroy the body with zfs's error when zfs refuses the stream early,
 * and that must read as a `receive` failure, not a truncation.
 */
async function receiveStream(options: RestoreOptions, watch: TransferWatch, opened: OpenedStream): Promise<void> {
  const counter = watch.counter();
  // Until zfs.receive attaches its own handlers, an error must not go unhandled.
  counter.on('error', () => undefined);
  opened.body.on('error', (error) => {
    watch.noteBodyError(error);
    counter.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  // zfs recv gone (done or failed): stop reading, which closes the connection and so aborts the server's send.
  counter.once('close', () => opened.body.destroy());
  opened.body.pipe(counter);
  await options.zfs.receive(options.dataset, counter, { signal: watch.signal, force: options.force === true, mount: false, targetExists: options.targetExists });
}

async function transfer(options: RestoreOptions, endpoint: BackupEndpoint, job: SendJobView, report: (bytes: number, finished: boolean) => void): Promise<number> {
  const watch = new TransferWatch({
    clock: options.clock, log: options.log, signal: options.signal, onProgress: report,
    stallTimeoutMs: options.stallTimeoutMs ?? 60_000, progressIntervalMs: options.progressIntervalMs ?? 1_000,
  });
  try {
    const opened = await openRemoteStream(endpoint, job.id, watch.signal);
    await receiveStream(options, watch, opened);
    watch.finished();
    return watch.bytesReceived;
  } catch (error) {
    throw classifyFailure(error, watch, options, job);
  } finally {
    watch.dispose();
  }
}

/**
 * Asks the backup server for a send (`POST /sends`), streams it (`GET /sends/:id/stream`) into `zfs recv -u`, and
 * checks that the snapshot arrived. The received dataset stays unmounted: the caller sets the mountpoint and mounts.
 * Fails with DUGONG_ERR_RESTORE_FAILED (details.kind, details.retryable); the target is then as it was before: zfs
 * removes a partial full receive (src/zfs waits for that) and leaves an incremental's target untouched.
 */
export async function restoreFromBackupServer(options: RestoreOptions): Promise<RestoreResult> {
  const startedMs = options.clock.monotonicMs();
  const endpoint = endpointOf(options);
  const request = {
    ...(options.snapshot === undefined ? {} : { snapshot: options.snapshot }),
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.fresh === true ? { fresh: true } : {}),
  };
  const job = await createRemoteSend(endpoint, request, options.signal);
  const snapshot = parseSnapshotName(job.snapshot);
  const from = job.from === null ? null : parseSnapshotName(job.from);
  options.log.info({ backupUrl: options.backupUrl, sendId: job.id, snapshot, from, estimatedBytes: job.estimatedBytes, dataset: options.dataset }, 'restore started');
  const report = (bytesReceived: number, finished: boolean): void =>
    options.onProgress?.({ sendId: job.id, snapshot, from, bytesReceived, estimatedBytes: job.estimatedBytes, finished });
  const bytesReceived = await transfer(options, endpoint, job, report);
  if (!(await options.zfs.exists({ dataset: options.dataset, snapshot }))) {
    throw restoreError('protocol', `zfs recv succeeded but ${options.dataset}@${snapshot} is not there`, { backupUrl: options.backupUrl, sendId: job.id, bytesReceived });
  }
  const durationMs = Math.round(options.clock.monotonicMs() - startedMs);
  options.log.info({ sendId: job.id, snapshot, bytesReceived, durationMs }, 'restore finished');
  return { dataset: options.dataset, snapshot, from, sendId: job.id, bytesReceived, estimatedBytes: job.estimatedBytes, durationMs };
}
