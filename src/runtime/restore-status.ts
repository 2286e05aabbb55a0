// What a bootstrap or rebuild of this peer's data is doing, for `GET /restore` and `dugong-adm rebuild`.
import type { Clock } from '../platform/clock.js';
import type { PeerId } from '../schema/index.js';

export type RestoreMethod = 'zfs-full' | 'zfs-incremental' | 'pg_basebackup' | 'pg_rewind';

/** One finished step of a copy and how long it took: where a slow rebuild spent its time. */
export interface RestoreStep {
  readonly name: string;
  readonly durationMs: number;
}

export interface RestoreView {
  readonly state: 'idle' | 'running' | 'done' | 'failed';
  /** seed: an empty peer gets its first copy; rebuild: a deposed peer's diverged data is replaced. */
  readonly kind: 'seed' | 'rebuild' | null;
  readonly method: RestoreMethod | null;
  readonly source: PeerId | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly bytesReceived: number;
  /** The sender's estimate (0 when unknown, as for pg_basebackup and pg_rewind). */
  readonly estimatedBytes: number;
  readonly attempt: number;
  /** Where the replaced data was kept (an isolated dataset or a renamed directory); null when nothing was replaced. */
  readonly keptAs: string | null;
  readonly steps: readonly RestoreStep[];
  readonly error: string | null;
}

const IDLE: RestoreView = {
  state: 'idle', kind: null, method: null, source: null, startedAt: null, finishedAt: null,
  bytesReceived: 0, estimatedBytes: 0, attempt: 0, keptAs: null, steps: [], error: null,
};

/** Mutable holder of the latest RestoreView; copiers update it, the status API reads it. */
export class RestoreStatus {
  private current: RestoreView = IDLE;

  constructor(private readonly clock: Pick<Clock, 'now' | 'monotonicMs'>) {}

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  view(): RestoreView {
    return this.current;
  }

  begin(kind: 'seed' | 'rebuild', source: PeerId): void {
    this.current = { ...IDLE, state: 'running', kind, source, startedAt: this.nowIso() };
  }

  update(changes: Partial<Pick<RestoreView, 'method' | 'bytesReceived' | 'estimatedBytes' | 'attempt' | 'keptAs'>>): void {
    this.current = { ...this.current, ...changes };
  }

  /** Runs one step of the copy and records its duration (also when it fails: the time was spent). */
  async step<T>(name: string, work: () => Promise<T>): Promise<T> {
    const startedMs = this.clock.monotonicMs();
    try {
      return await work();
    } finally {
      const durationMs = Math.round(this.clock.monotonicMs() - startedMs);
      this.current = { ...this.current, steps: [...this.current.steps, { name, durationMs }] };
    }
  }

  finish(): void {
    this.current = { ...this.current, state: 'done', finishedAt: this.nowIso(), error: null };
  }

  fail(error: string): void {
    this.current = { ...this.current, state: 'failed', finishedAt: this.nowIso(), error };
  }
}
