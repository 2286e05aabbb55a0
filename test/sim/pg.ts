// Simulated PostgreSQL of one peer: WAL as a list of record ids, flush/replay positions, role and reloadable settings.
import type { PeerId } from '../../src/schema/index.js';
import type { DataRole, PgTarget } from '../../src/fsm/index.js';

/** A client commit: its WAL record, where it sits, and when (if ever) it was acknowledged. */
export interface Commit {
  readonly id: number;
  readonly peerIndex: number;
  readonly index: number;
  ackedAtMs: number | null;
}

export class SimPg {
  running = false;
  dataRole: DataRole = 'none';
  /** Record ids in WAL order; a record id fixes its whole history, so equal ids at a position mean a shared prefix. */
  readonly wal: number[] = [];
  /** Standby: records durable locally (received beyond this are lost in a crash). A primary flushes at commit. */
  flushLen = 0;
  replayLen = 0;
  writable = false;
  syncStandby: PeerId | null = null;
  upstream: PeerId | null = null;
  streaming = false;
  startBlockedUntilMs = 0;
  slowUntilMs = 0;
  /** The peer's storage does not answer until then: checks fail at their deadline, a standby flushes nothing. */
  storageStalledUntilMs = 0;
  /** Commits written on this primary, waiting for the named sync to flush them. */
  pending: Commit[] = [];

  get acceptsWrites(): boolean {
    return this.running && this.dataRole === 'primary' && this.writable;
  }

  /** What this server can send downstream: a standby only cascades what it has flushed. */
  get sendableLen(): number {
    return this.dataRole === 'primary' ? this.wal.length : this.flushLen;
  }

  /** Unflushed WAL is lost; waiting commits fail (never acknowledged). */
  crash(): void {
    this.running = false;
    this.streaming = false;
    this.wal.length = this.flushLen;
    if (this.replayLen > this.flushLen) this.replayLen = this.flushLen;
    this.pending = [];
  }

  /** A clean stop: the WAL receiver flushes what it received first. */
  stop(): void {
    if (this.running && this.dataRole === 'standby') this.flushLen = this.wal.length;
    this.running = false;
    this.streaming = false;
    this.pending = [];
  }

  /** Starts without changing what the data directory is, except that an empty one is initialised or cloned. */
  start(target: PgTarget, nowMs: number): string | null {
    if (nowMs < this.startBlockedUntilMs) return 'postmaster did not come up (simulated start failure)';
    if (this.dataRole === 'none') {
      if (target.role === 'standby' && target.upstream === null) return 'empty data directory and no upstream to clone from';
      this.dataRole = target.role;
    } else if (this.dataRole === 'primary' && target.role === 'standby') {
      this.dataRole = 'standby';
    }
    this.running = true;
    this.apply(target);
    return null;
  }

  /** pg_promote(): replay everything received, then a new timeline (a record no other history has). */
  promote(timelineRecord: number): string | null {
    if (!this.running) return 'PostgreSQL is not running';
    if (this.dataRole === 'primary') return null;
    this.flushLen = this.wal.length;
    this.wal.push(timelineRecord);
    this.flushLen = this.wal.length;
    this.replayLen = this.wal.length;
    this.dataRole = 'primary';
    this.upstream = null;
    this.streaming = false;
    return null;
  }

  /** A rebuild: the diverged history is set aside and replaced by a copy of everything the source has written. */
  rebuildFrom(source: SimPg): string | null {
    if (this.running) return 'PostgreSQL is running: a rebuild needs it stopped';
    this.wal.length = 0;
    this.wal.push(...source.wal);
    this.flushLen = this.wal.length;
    this.replayLen = this.wal.length;
    this.dataRole = 'standby';
    this.upstream = null;
    this.writable = false;
    this.syncStandby = null;
    return null;
  }

  reconfigure(target: PgTarget): string | null {
    if (!this.running) return 'PostgreSQL is not running';
    this.apply(target);
    return null;
  }

  private apply(target: PgTarget): void {
    if (target.role === 'primary') {
      this.syncStandby = target.syncStandby;
      this.writable = target.writable;
      return;
    }
    this.upstream = target.upstream?.id ?? null;
    this.syncStandby = null;
    this.writable = false;
  }

  /** Appends a committed record on a primary (flushed locally at once). */
  append(record: number): number {
    this.wal.push(record);
    this.flushLen = this.wal.length;
    this.replayLen = this.wal.length;
    return this.wal.length - 1;
  }
}

/** True when `a`'s first `length` records are `b`'s (histories agree up to there). */
export function sharesPrefix(a: SimPg, b: SimPg, length: number): boolean {
  if (length === 0) return true;
  if (a.wal.length < length || b.wal.length < length) return false;
  return a.wal[length - 1] === b.wal[length - 1];
}
