// PostgresController: owns one data directory and its postmaster (a child process): create, start, stop, configure files.
import { join } from 'node:path';
import { DugongError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock } from '../platform/clock.js';
import { rewind, type RewindOutcome } from './rewind.js';
import { renderHba, type HbaSpec } from './hba.js';
import { basebackup } from './basebackup.js';
import { readControlData, type ControlData } from './controldata.js';
import { ensureRoleConfIncluded, setStandbySignal, writeFileAtomic } from './data-files.js';
import { initDataDir, type InitdbOptions } from './initdb.js';
import { findLeftoverPostmaster, type LeftoverFinding } from './pidfile.js';
import { postmasterArgs, spawnPostmaster, type PostmasterSpec, type SpawnFn } from './postmaster.js';
import { ROLE_CONF_FILE, renderRoleConf, type RoleSettings } from './role-settings.js';
import { waitUntilReady } from './startup.js';
import { stopOrphans, stopPostmaster, waitUntilGone } from './stop.js';
import {
  DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_PG_BIN_DIR, DEFAULT_START_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS,
  type PgConnectionTarget, type PgExit, type RunAs, type StopMode,
} from './types.js';

export interface PostgresControllerOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Unix socket directory, writable by the server's user; the sitter connects through it. */
  readonly socketDir: string;
  /** The server's stderr, appended; keep it outside the data directory (base backups and snapshots copy that). */
  readonly logFile: string;
  /** Default '127.0.0.1'; a real shard lists the peer's own address too. */
  readonly listenAddresses?: string;
  readonly binDir?: string;
  /** From runAsForServer(): the postgres user's ids when the sitter is root. */
  readonly runAs: RunAs | undefined;
  /** Role the sitter connects as (readiness probe, localTarget); default 'postgres'. */
  readonly superuser?: string;
  readonly password?: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Replaces child_process.spawn (tests track PIDs through it). */
  readonly spawn?: SpawnFn;
}

export interface RunningPostgres {
  readonly pid: number;
  /** Resolves when the postmaster exits, for any reason; a supervisor awaits this to notice crashes. */
  readonly exited: Promise<PgExit>;
}

export interface TimeoutOption {
  readonly timeoutMs?: number;
}

export interface PostgresController {
  readonly dataDir: string;
  /** Who owns the data directory: every file call inside it runs as this user (see user-files.ts). */
  readonly runAs: RunAs | undefined;
  readonly port: number;
  /** How the sitter reaches this server (unix socket): pass to createPostgresClient. */
  readonly localTarget: PgConnectionTarget;
  /** New data directory (fails with COMMAND_FAILED naming initdb and its stderr if dataDir is not empty). */
  initdb(options?: InitdbOptions): Promise<void>;
  /** Empty data directory ← pg_basebackup of `source`; then writeRoleSettings + setStandbySignal(true). */
  basebackupFrom(source: PgConnectionTarget, options?: TimeoutOption & { readonly fsync?: boolean }): Promise<void>;
  /** Stopped, diverged data directory → pg_rewind against the running `source`; then writeRoleSettings + standby.signal. */
  rewindFrom(source: PgConnectionTarget, options?: TimeoutOption): Promise<RewindOutcome>;
  /**
   * Spawns the postmaster and resolves once it accepts connections; on failure nothing is left running.
   * Stops orphaned backends of a crashed earlier postmaster; fails with PG_LEFTOVER if a live one holds the data dir.
   */
  start(options?: TimeoutOption): Promise<RunningPostgres>;
  /** Stops the child (mode's signal, then SIGKILL after timeoutMs); null if none was running. */
  stop(mode: StopMode, options?: TimeoutOption): Promise<PgExit | null>;
  running(): RunningPostgres | null;
  /** Called on every postmaster exit, requested or not; returns an unsubscribe function. */
  onExit(listener: (exit: PgExit) => void): () => void;
  findLeftover(): Promise<LeftoverFinding>;
  /** Stops a postmaster of this data directory left by an earlier run (or its orphaned backends); returns what was found. */
  stopLeftover(mode: StopMode, options?: TimeoutOption): Promise<LeftoverFinding>;
  /** Atomically replaces dugong.conf; a running server needs a reload (see applyRoleSettings). */
  writeRoleSettings(settings: RoleSettings): Promise<void>;
  /** Atomically replaces pg_hba.conf (read at start and on reload): the sitter owns who may connect. */
  writeHba(spec: HbaSpec): Promise<void>;
  setStandbySignal(present: boolean): Promise<void>;
  controlData(options?: TimeoutOption): Promise<ControlData>;
}

interface Child {
  readonly handle: RunningPostgres;
  readonly control: { stopRequested: boolean };
}

export function createPostgresController(options: PostgresControllerOptions): PostgresController {
  return new Controller(options);
}

class Controller implements PostgresController {
  readonly dataDir: string;
  readonly port: number;
  readonly localTarget: PgConnectionTarget;
  readonly runAs: RunAs | undefined;
  private readonly binDir: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly spec: PostmasterSpec;
  private readonly listeners = new Set<(exit: PgExit) => void>();
  private child: Child | null = null;

  constructor(private readonly options: PostgresControllerOptions) {
    this.dataDir = options.dataDir;
    this.port = options.port;
    this.binDir = options.binDir ?? DEFAULT_PG_BIN_DIR;
    this.runAs = options.runAs;
    this.clock = options.clock;
    this.log = options.log.child({ dataDir: options.dataDir, port: options.port });
    this.spec = {
      binDir: this.binDir, dataDir: this.dataDir, runAs: this.runAs, port: options.port, socketDir: options.socketDir,
      logFile: options.logFile, listenAddresses: options.listenAddresses ?? '127.0.0.1',
    };
    this.localTarget = {
      host: options.socketDir, port: options.port, user: options.superuser ?? 'postgres', database: 'postgres',
      ...(options.password === undefined ? {} : { password: options.password }),
    };
  }

  initdb(initdbOptions?: InitdbOptions): Promise<void> {
    return initDataDir({ binDir: this.binDir, dataDir: this.dataDir, runAs: this.runAs, log: this.log, clock: this.clock }, initdbOptions);
  }

  basebackupFrom(source: PgConnectionTarget, call?: TimeoutOption & { readonly fsync?: boolean }): Promise<void> {
    const timeoutMs = call?.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    return basebackup({ binDir: this.binDir, dataDir: this.dataDir, runAs: this.runAs, source, timeoutMs, fsync: call?.fsync });
  }

  rewindFrom(source: PgConnectionTarget, call?: TimeoutOption): Promise<RewindOutcome> {
    const timeoutMs = call?.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    return rewind({ binDir: this.binDir, dataDir: this.dataDir, runAs: this.runAs, source, timeoutMs, clock: this.clock });
  }

  async start(call?: TimeoutOption): Promise<RunningPostgres> {
    if (this.child !== null) return this.child.handle;
    await this.clearForStart(await findLeftoverPostmaster(this.dataDir, this.runAs));
    const spawned = await spawnPostmaster(this.spec, this.options.spawn);
    const control = { stopRequested: false };
    const exited = spawned.exited.then(({ code, signal }): PgExit => {
      const exit: PgExit = { pid: spawned.pid, code, signal, requested: control.stopRequested };
      if (this.child?.control === control) this.child = null;
      this.notifyExit(exit);
      return exit;
    });
    const current: Child = { handle: { pid: spawned.pid, exited }, control };
    this.child = current;
    const args = postmasterArgs(this.spec);
    this.log.info({ pid: spawned.pid, args }, 'PostgreSQL spawned');
    try {
      await waitUntilReady({
        target: this.localTarget, clock: this.clock, timeoutMs: call?.timeoutMs ?? DEFAULT_START_TIMEOUT_MS, exited,
        logFile: this.spec.logFile, logOffset: spawned.logOffset, runAs: this.runAs, commandLine: [join(this.binDir, 'postgres'), ...args].join(' '),
      });
    } catch (error) {
      // Either it runs and answers, or it does not run: never a half-started server nobody owns.
      if (this.child === current) await this.stopChild(current, 'immediate', DEFAULT_STOP_TIMEOUT_MS);
      throw error;
    }
    return current.handle;
  }

  async stop(mode: StopMode, call?: TimeoutOption): Promise<PgExit | null> {
    if (this.child === null) return null;
    return this.stopChild(this.child, mode, call?.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  }

  running(): RunningPostgres | null {
    return this.child?.handle ?? null;
  }

  onExit(listener: (exit: PgExit) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  findLeftover(): Promise<LeftoverFinding> {
    return findLeftoverPostmaster(this.dataDir, this.runAs);
  }

  async stopLeftover(mode: StopMode, call?: TimeoutOption): Promise<LeftoverFinding> {
    const timeoutMs = call?.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    const finding = await findLeftoverPostmaster(this.dataDir, this.runAs);
    if (finding.kind === 'running') {
      if (this.child?.handle.pid === finding.pid) throw new RangeError('stopLeftover() found the running child; use stop()');
      this.log.warn({ pid: finding.pid, mode }, 'stopping a PostgreSQL left over from an earlier run');
      const waitForExit = (waitMs: number): Promise<boolean> => waitUntilGone([finding.pid], waitMs, this.clock);
      await stopPostmaster({ pid: finding.pid, mode, timeoutMs, clock: this.clock, log: this.log, waitForExit });
    } else if (finding.kind === 'stale' && finding.orphans.length > 0) {
      this.log.warn({ pids: finding.orphans }, 'stopping backends that outlived their postmaster');
      await stopOrphans(finding.orphans, this.clock, timeoutMs);
    }
    return finding;
  }

  async writeHba(spec: HbaSpec): Promise<void> {
    await writeFileAtomic(join(this.dataDir, 'pg_hba.conf'), renderHba(spec), this.runAs);
  }

  async writeRoleSettings(settings: RoleSettings): Promise<void> {
    await writeFileAtomic(join(this.dataDir, ROLE_CONF_FILE), renderRoleConf(settings), this.runAs);
    await ensureRoleConfIncluded(this.dataDir, this.runAs);
    this.log.info({ writable: settings.writable, sync: settings.syncStandbyName, upstream: settings.upstream }, 'wrote role settings');
  }

  setStandbySignal(present: boolean): Promise<void> {
    return setStandbySignal(this.dataDir, present, this.runAs);
  }

  controlData(call?: TimeoutOption): Promise<ControlData> {
    return readControlData(this.binDir, this.dataDir, this.runAs, call?.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  }

  /**
   * Backends that outlived a crashed postmaster die on their own within moments, but until then they block the
   * start ("pre-existing shared memory block is still in use"): they are stopped here. A live postmaster or a
   * foreign PID is not ours to stop implicitly.
   */
  private async clearForStart(finding: LeftoverFinding): Promise<void> {
    if (finding.kind === 'none') return;
    if (finding.kind === 'stale') {
      if (finding.orphans.length === 0) return;
      this.log.warn({ pids: finding.orphans }, 'stopping backends that outlived their postmaster');
      await stopOrphans(finding.orphans, this.clock, DEFAULT_STOP_TIMEOUT_MS);
      return;
    }
    const detail = finding.kind === 'running'
      ? `a postmaster (PID ${finding.pid}) from an earlier run still runs on this data directory; call stopLeftover() first`
      : finding.reason;
    throw new DugongError('DUGONG_ERR_PG_LEFTOVER', `cannot start PostgreSQL: ${detail}`, { finding });
  }

  private async stopChild(current: Child, mode: StopMode, timeoutMs: number): Promise<PgExit> {
    current.control.stopRequested = true;
    const waitForExit = (waitMs: number): Promise<boolean> => settlesWithin(current.handle.exited, waitMs, this.clock);
    const outcome = await stopPostmaster({ pid: current.handle.pid, mode, timeoutMs, clock: this.clock, log: this.log, waitForExit });
    const exit = await current.handle.exited;
    this.log.info({ pid: exit.pid, mode, outcome }, 'stop done');
    return exit;
  }

  private notifyExit(exit: PgExit): void {
    if (exit.requested) this.log.info({ ...exit }, 'PostgreSQL stopped');
    else this.log.error({ ...exit }, 'PostgreSQL exited unexpectedly');
    for (const listener of this.listeners) {
      try {
        listener(exit);
      } catch (error) {
        this.log.error({ err: error }, 'exit listener failed');
      }
    }
  }
}

/** True if `promise` settles within waitMs. */
function settlesWithin(promise: Promise<unknown>, waitMs: number, clock: Clock): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = clock.setTimer(waitMs, () => resolve(false));
    void promise.then(() => {
      timer.cancel();
      resolve(true);
    });
  });
}
