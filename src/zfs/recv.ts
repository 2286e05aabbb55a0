// `zfs recv` from a Node Readable: resolves when zfs exits 0, fails with its stderr, never leaves a partial dataset.
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DugongError } from '../errors.js';
import { extendError } from './command.js';
import type { ZfsContext } from './context.js';
import { exists } from './dataset.js';
import { parseDatasetName, type DatasetName } from './names.js';
import { abortedError, startStreamChild } from './stream-child.js';

export interface ReceiveOptions {
  /** Mount the received dataset (default false: `-u`; the caller sets the mountpoint when it wants it used). */
  readonly mount?: boolean;
  /** `-F`: roll the target back to its latest snapshot first (and, for a full stream, replace it). */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /** Whether the target exists now, when the caller knows already (one zfs call less); asked otherwise. */
  readonly targetExists?: boolean;
}

export function receiveArgs(dataset: DatasetName, options: ReceiveOptions): string[] {
  return ['recv', ...(options.mount === true ? [] : ['-u']), ...(options.force === true ? ['-F'] : []), parseDatasetName(dataset)];
}

/** Waits (bounded) until a dataset that a failed receive was creating is gone; zfs-fuse removes it asynchronously. */
async function waitUntilGone(ctx: ZfsContext, dataset: DatasetName): Promise<boolean> {
  const deadlineMs = ctx.clock.monotonicMs() + ctx.receiveCleanupTimeoutMs;
  for (;;) {
    if (!(await exists(ctx, dataset))) return true;
    if (ctx.clock.monotonicMs() >= deadlineMs) return false;
    await ctx.clock.sleep(100);
  }
}

async function failReceive(ctx: ZfsContext, dataset: DatasetName, existedBefore: boolean, error: DugongError): Promise<never> {
  if (existedBefore || (await waitUntilGone(ctx, dataset))) throw error;
  // Do not destroy it ourselves: a dataset we cannot explain is for an operator to look at.
  throw extendError(error, { suffix: `; the partial dataset ${dataset} is still present`, details: { leftoverDataset: dataset } });
}

/**
 * Pipes `source` into `zfs recv [-u] [-F] <dataset>` and resolves once zfs has exited 0. On failure the source is
 * destroyed and the error carries zfs's stderr; on abort zfs is killed by PID and its stdin closed. Either way, a
 * dataset that did not exist before is gone (waited for) when this rejects.
 * Receive an incremental into an unmounted dataset: reading a mounted one updates atime, which zfs counts as a
 * modification ("has been modified since most recent snapshot"), and zfs-fuse keeps serving a mounted target's
 * old content from the kernel cache until it is remounted.
 */
export async function receive(ctx: ZfsContext, dataset: DatasetName, source: Readable, options: ReceiveOptions = {}): Promise<void> {
  const args = receiveArgs(dataset, options);
  const target = parseDatasetName(dataset);
  const existedBefore = options.targetExists ?? (await exists(ctx, target));
  if (options.signal?.aborted === true) throw abortedError(ctx, args, options.signal.reason);
  const child = startStreamChild(ctx, args, 'write-stdin');
  let aborted: unknown;
  const onSignal = (): void => {
    aborted = options.signal?.reason ?? new Error('receive aborted');
    child.kill();
    source.destroy();
  };
  options.signal?.addEventListener('abort', onSignal, { once: true });
  const piped = pipeline(source, child.pipe as Writable).then(
    () => undefined,
    (error: unknown) => error,
  );
  const outcome = await child.exited;
  options.signal?.removeEventListener('abort', onSignal);
  const sourceError = await piped;
  // zfs exiting 0 means it read a complete, valid stream: that counts, even if an abort came too late.
  if (outcome.ok) return;
  if (aborted !== undefined) return failReceive(ctx, target, existedBefore, abortedError(ctx, args, aborted));
  const error = outcome.error ?? abortedError(ctx, args, sourceError);
  return failReceive(ctx, target, existedBefore, sourceError === undefined ? error : extendError(error, { cause: sourceError }));
}
