// Watches one incoming stream: counts bytes, reports progress at a bounded rate, aborts on stall or the caller's signal.
import { Transform } from 'node:stream';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../platform/clock.js';

/** Buffer of each stream stage of a transfer: a few large chunks beat many small ones. */
export const STREAM_BUFFER_BYTES = 1024 * 1024;

export interface TransferWatchOptions {
  readonly clock: Clock;
  readonly log: Logger;
  /** No byte for this long aborts the transfer (a half-open connection would otherwise wait forever). */
  readonly stallTimeoutMs: number;
  readonly progressIntervalMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress: (bytesReceived: number, finished: boolean) => void;
}

export class TransferWatch {
  private readonly controller = new AbortController();
  private stallTimer: TimerHandle | undefined;
  private lastByteMs = 0;
  private lastReportMs = Number.NEGATIVE_INFINITY;
  private readonly onCallerAbort = (): void => this.controller.abort(this.options.signal?.reason);
  bytesReceived = 0;
  stalled = false;
  /** Set when the HTTP body failed (connection cut, server killed): the stream was truncated. */
  bodyError: unknown = undefined;

  constructor(private readonly options: TransferWatchOptions) {
    if (options.signal?.aborted === true) this.onCallerAbort();
    options.signal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** Aborted by the caller, by a stall, or by dispose(): the fetch and the zfs receive both listen to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get callerAborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** The stage between the HTTP body and zfs recv; starts the stall watch. */
  counter(): Transform {
    this.startStallWatch();
    return new Transform({
      // Large buffers and no timer work per chunk: this stage sits in the path of every byte of a restore.
      highWaterMark: STREAM_BUFFER_BYTES,
      transform: (chunk: Buffer, _encoding, callback) => {
        this.bytesReceived += chunk.length;
        this.lastByteMs = this.options.clock.monotonicMs();
        this.report(false);
        callback(null, chunk);
      },
    });
  }

  noteBodyError(error: unknown): void {
    this.bodyError ??= error;
  }

  finished(): void {
    this.report(true);
  }

  /** Stops the timers and releases the connection if it is still open (after a failure). */
  dispose(): void {
    this.stallTimer?.cancel();
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
    this.controller.abort(new Error('transfer over'));
  }

  /** One timer, re-armed for the rest of the window when bytes came meanwhile (not on every chunk). */
  private startStallWatch(): void {
    const { clock, stallTimeoutMs } = this.options;
    this.lastByteMs = clock.monotonicMs();
    const check = (): void => {
      const idleMs = clock.monotonicMs() - this.lastByteMs;
      if (idleMs < stallTimeoutMs) {
        this.stallTimer = clock.setTimer(stallTimeoutMs - idleMs, check);
        return;
      }
      this.stalled = true;
      this.controller.abort(new Error(`no data for ${stallTimeoutMs} ms`));
    };
    this.stallTimer = clock.setTimer(stallTimeoutMs, check);
  }

  private report(finished: boolean): void {
    const nowMs = this.options.clock.monotonicMs();
    if (!finished && nowMs - this.lastReportMs < this.options.progressIntervalMs) return;
    this.lastReportMs = nowMs;
    try {
      this.options.onProgress(this.bytesReceived, finished);
    } catch (error) {
      // A broken progress callback must not break the transfer.
      this.options.log.warn({ err: errorMessage(error) }, 'restore progress callback threw');
    }
  }
}
