// `zfs send` (full or incremental) as a Node Readable that ends only when zfs exited successfully.
import { PassThrough, type Readable } from 'node:stream';
import { DugongError } from '../errors.js';
import type { ZfsContext } from './context.js';
import { parseSnapshotName, type SnapshotName, type SnapshotRef } from './names.js';
import { abortedError, startStreamChild } from './stream-child.js';
import { targetName, validSnapshotRef } from './target.js';

export interface SendSpec {
  readonly snapshot: SnapshotRef;
  /** Incremental from this earlier snapshot of the same dataset (`-i`); absent = full stream. */
  readonly from?: SnapshotName;
}

export interface SendOptions {
  readonly signal?: AbortSignal;
}

export interface SendStream {
  /** The stream bytes. Errors (with zfs's stderr) instead of ending if zfs fails; destroying it aborts the send. */
  readonly stream: Readable;
  readonly pid: number;
  /** Settles when zfs has exited and the stream was ended or destroyed. */
  readonly done: Promise<void>;
  abort(reason?: unknown): void;
}

/** The argument vector for a send; validates both names and refuses an incremental from the snapshot itself. */
export function sendArgs(spec: SendSpec): string[] {
  const to = validSnapshotRef(spec.snapshot);
  if (spec.from === undefined) return ['send', targetName(to)];
  const from = parseSnapshotName(spec.from);
  if (from === to.snapshot) {
    throw new DugongError('DUGONG_ERR_ZFS_NAME_INVALID', `incremental send from ${from} to itself`, { what: 'incremental source', value: from });
  }
  // Full names on both sides: the `-i @snap` short form is not accepted by every zfs version.
  return ['send', '-i', targetName({ dataset: to.dataset, snapshot: from }), targetName(to)];
}

/**
 * Starts `zfs send`. Bytes flow with backpressure into `stream`; it ends only after zfs exits 0, so a consumer never
 * mistakes the output of a failed send for a complete stream. Aborting (signal, abort(), or destroying `stream`)
 * kills zfs by PID and closes the pipe.
 */
export function send(ctx: ZfsContext, spec: SendSpec, options: SendOptions = {}): SendStream {
  const args = sendArgs(spec);
  const child = startStreamChild(ctx, args, 'read-stdout');
  const pipe = child.pipe as Readable;
  // Large buffers: every byte of a backup passes here, and fewer, larger chunks cost far less per byte.
  const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
  let aborted: unknown;
  let exited = false;
  const abort = (reason?: unknown): void => {
    if (aborted !== undefined || exited) return;
    aborted = reason ?? new Error('send aborted');
    child.kill();
    stream.destroy(abortedError(ctx, args, aborted));
  };
  pipe.pipe(stream, { end: false });
  // A consumer that goes away (HTTP client disconnect) must not leave zfs blocked on a full pipe.
  stream.once('close', () => abort(new Error('the consumer closed the stream')));
  const onSignal = (): void => abort(options.signal?.reason);
  if (options.signal?.aborted === true) onSignal();
  else options.signal?.addEventListener('abort', onSignal, { once: true });
  const done = child.exited.then(async (outcome) => {
    exited = true;
    options.signal?.removeEventListener('abort', onSignal);
    if (aborted !== undefined) throw abortedError(ctx, args, aborted);
    if (!outcome.ok) {
      stream.destroy(outcome.error);
      throw outcome.error;
    }
    // Every byte read from zfs must be in `stream` before it ends.
    if (!pipe.readableEnded && !pipe.closed) await new Promise((resolve) => pipe.once('close', resolve));
    stream.end();
  });
  // Each failure is reported twice, on `stream` and by `done`: a caller that watches only one of them (or abandoned
  // the stream) must not get an unhandled 'error' event or rejection that takes the process down.
  stream.on('error', () => undefined);
  done.catch(() => undefined);
  return { stream, pid: child.pid, done, abort };
}
