// The backup server's table of send jobs: admission against maxConcurrentSends, progress, outcome, expiry.
import type { SendSizeEstimate, SnapshotName } from '../zfs/index.js';
import type { SendJobState, SendJobView } from './api.js';

export interface SendJobLimits {
  readonly maxConcurrentSends: number;
  /** A finished job is forgotten this long after it finished. */
  readonly jobTtlMs: number;
  /** A queued job whose stream nobody fetched is dropped after this long, freeing its slot. */
  readonly claimTimeoutMs: number;
}

export interface NewSendJob {
  readonly id: string;
  readonly snapshot: SnapshotName;
  readonly from: SnapshotName | null;
  readonly estimate: SendSizeEstimate;
}

/** How a job ended: closed union, one case per final state. */
export type SendOutcome = { readonly state: 'done' } | { readonly state: 'failed'; readonly error: string } | { readonly state: 'aborted'; readonly error: string };

interface SendJob extends NewSendJob {
  state: SendJobState;
  bytesSent: number;
  readonly createdAtMs: number;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  error: string | null;
  /** Stops the running zfs send; set while the job is `sending`. */
  abort: ((reason: string) => void) | null;
}

export type ClaimResult = { readonly ok: true; readonly job: NewSendJob } | { readonly ok: false; readonly reason: 'not-found' | 'not-queued' };

const ACTIVE: ReadonlySet<SendJobState> = new Set<SendJobState>(['queued', 'sending']);

function iso(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}

export function isFinalState(state: SendJobState): boolean {
  switch (state) {
    case 'queued':
    case 'sending':
      return false;
    case 'done':
    case 'failed':
    case 'aborted':
      return true;
  }
}

/** Not thread-safe by design: Node runs the checks and updates of one call without interleaving. */
export class SendJobTable {
  private readonly jobs = new Map<string, SendJob>();

  constructor(private readonly limits: SendJobLimits) {}

  /** Drops expired finished jobs and gives up queued jobs nobody fetched; call before any decision. */
  sweep(nowMs: number): void {
    for (const job of this.jobs.values()) {
      if (job.state === 'queued' && nowMs - job.createdAtMs >= this.limits.claimTimeoutMs) {
        this.settle(job, nowMs, { state: 'aborted', error: `the stream was not fetched within ${this.limits.claimTimeoutMs} ms` });
      }
      if (job.finishedAtMs !== null && nowMs - job.finishedAtMs >= this.limits.jobTtlMs) this.jobs.delete(job.id);
    }
  }

  activeCount(nowMs: number): number {
    this.sweep(nowMs);
    return [...this.jobs.values()].filter((job) => ACTIVE.has(job.state)).length;
  }

  hasCapacity(nowMs: number): boolean {
    return this.activeCount(nowMs) < this.limits.maxConcurrentSends;
  }

  /** Adds a queued job, or returns undefined when maxConcurrentSends jobs are already queued or sending. */
  create(nowMs: number, spec: NewSendJob): SendJobView | undefined {
    if (!this.hasCapacity(nowMs) || this.jobs.has(spec.id)) return undefined;
    const job: SendJob = { ...spec, state: 'queued', bytesSent: 0, createdAtMs: nowMs, startedAtMs: null, finishedAtMs: null, error: null, abort: null };
    this.jobs.set(job.id, job);
    return this.view(job);
  }

  get(nowMs: number, id: string): SendJobView | undefined {
    this.sweep(nowMs);
    const job = this.jobs.get(id);
    return job === undefined ? undefined : this.view(job);
  }

  list(nowMs: number): SendJobView[] {
    this.sweep(nowMs);
    return [...this.jobs.values()].map((job) => this.view(job));
  }

  /** queued → sending, once: a stream is served at most one time per job. */
  claim(nowMs: number, id: string, abort: (reason: string) => void): ClaimResult {
    this.sweep(nowMs);
    const job = this.jobs.get(id);
    if (job === undefined) return { ok: false, reason: 'not-found' };
    if (job.state !== 'queued') return { ok: false, reason: 'not-queued' };
    job.state = 'sending';
    job.startedAtMs = nowMs;
    job.abort = abort;
    return { ok: true, job: { id: job.id, snapshot: job.snapshot, from: job.from, estimate: job.estimate } };
  }

  addBytes(id: string, bytes: number): void {
    const job = this.jobs.get(id);
    if (job !== undefined) job.bytesSent += bytes;
  }

  finish(nowMs: number, id: string, outcome: SendOutcome): void {
    const job = this.jobs.get(id);
    if (job !== undefined) this.settle(job, nowMs, outcome);
  }

  /** Aborts a queued or sending job (a sending one through its zfs send); false when there is no such active job. */
  abort(nowMs: number, id: string, reason: string): boolean {
    this.sweep(nowMs);
    const job = this.jobs.get(id);
    if (job === undefined || isFinalState(job.state)) return false;
    const stop = job.abort;
    this.settle(job, nowMs, { state: 'aborted', error: reason });
    stop?.(reason);
    return true;
  }

  /** On shutdown: every active job is aborted. */
  abortAll(nowMs: number, reason: string): void {
    for (const job of [...this.jobs.values()]) this.abort(nowMs, job.id, reason);
  }

  private settle(job: SendJob, nowMs: number, outcome: SendOutcome): void {
    // The first outcome wins: an abort is not overwritten by the failure that the abort itself caused.
    if (isFinalState(job.state)) return;
    job.state = outcome.state;
    job.finishedAtMs = nowMs;
    job.error = outcome.state === 'done' ? null : outcome.error;
    job.abort = null;
  }

  private view(job: SendJob): SendJobView {
    return {
      id: job.id,
      snapshot: job.snapshot,
      from: job.from,
      state: job.state,
      bytesSent: job.bytesSent,
      estimatedBytes: job.estimate.bytes,
      estimateMethod: job.estimate.method,
      createdAt: iso(job.createdAtMs) ?? '',
      startedAt: iso(job.startedAtMs),
      finishedAt: iso(job.finishedAtMs),
      error: job.error,
    };
  }
}
