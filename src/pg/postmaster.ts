// Spawns the postmaster as a child of the sitter (no pg_ctl daemonizing), so the sitter owns it and sees it exit.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { DugongError } from '../errors.js';
import { adoptFile } from './owned-paths.js';
import type { RunAs } from './types.js';
import { openLogAsUser, readTailAsUser } from './user-files.js';

/** A failed start's error message waits at most this long for the log. */
const LOG_TAIL_TIMEOUT_MS = 5_000;

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface PostmasterSpec {
  readonly binDir: string;
  readonly dataDir: string;
  readonly port: number;
  /** listen_addresses: comma-separated; '127.0.0.1' for a dev shard. */
  readonly listenAddresses: string;
  /** Unix socket directory; must be writable by the server's user. */
  readonly socketDir: string;
  /** stderr and stdout of the server go here (appended), so logs survive the sitter. */
  readonly logFile: string;
  readonly runAs: RunAs | undefined;
}

export interface SpawnedPostmaster {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Size of the log before this start: the tail after it belongs to this run. */
  readonly logOffset: number;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
}

/** Command-line settings override every conf file and cannot be changed by a reload, which is right for these. */
export function postmasterArgs(spec: PostmasterSpec): string[] {
  return ['-D', spec.dataDir, '-p', String(spec.port), '-c', `listen_addresses=${spec.listenAddresses}`, '-k', spec.socketDir];
}

/**
 * The log is opened by the server's own user, never by root: a shell running as that user appends its stdout and
 * stderr to the log, then execs the postmaster (same PID). A log file rather than a pipe: a pipe nobody drains
 * would stall the server, and dies with the sitter. The shell's own complaint, if it cannot open the log, goes to
 * the sitter's stderr; after the redirection the server holds no descriptor of the sitter.
 */
const LOG_WRAPPER = 'exec >>"$1" 2>&1 || exit 126\nshift\nexec "$@"';

export async function spawnPostmaster(spec: PostmasterSpec, spawnFn: SpawnFn = spawn): Promise<SpawnedPostmaster> {
  const logOffset = await openLog(spec.logFile, spec.runAs);
  const command = join(spec.binDir, 'postgres');
  const child = spawnFn('/bin/sh', ['-c', LOG_WRAPPER, 'dugong-postmaster', spec.logFile, command, ...postmasterArgs(spec)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: '/',
    // Its own process group: a terminal's Ctrl-C reaches the sitter, which decides how PostgreSQL stops.
    detached: true,
    ...(spec.runAs === undefined ? {} : { uid: spec.runAs.uid, gid: spec.runAs.gid }),
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const pid = await spawnedPid(child, command);
  return { child, pid, logOffset, exited };
}

/**
 * Creates or opens the log as the server's user and returns its size. Only when that user may not (a log in a
 * root-owned directory such as /var/log/dugong, or a log root created before) does root hand the file over, by
 * descriptor, refusing links (adoptFile).
 */
async function openLog(logFile: string, runAs: RunAs | undefined): Promise<number> {
  const size = await openLogAsUser(logFile, { runAs });
  if (size !== null) return size;
  if (runAs !== undefined) {
    await adoptFile(logFile, runAs);
    const adopted = await openLogAsUser(logFile, { runAs });
    if (adopted !== null) return adopted;
  }
  throw new DugongError('DUGONG_ERR_FILE_FAILED', `the server's user cannot append to its log ${logFile}`, { path: logFile });
}

/** spawn() reports a missing binary or a bad uid asynchronously, as an 'error' event with no PID. */
function spawnedPid(child: ChildProcess, command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    if (child.pid !== undefined) {
      resolve(child.pid);
      return;
    }
    child.once('error', (error) => {
      reject(new DugongError('DUGONG_ERR_COMMAND_FAILED', `could not start ${command}: ${error.message}`, { command }, { cause: error }));
    });
  });
}

/** The last lines this run wrote to the log, for error messages about a failed start; read as the server's user. */
export async function readLogTail(logFile: string, fromOffset: number, runAs: RunAs | undefined, maxLines = 10): Promise<string> {
  try {
    const tail = await readTailAsUser(logFile, fromOffset, 16_384, { runAs, timeoutMs: LOG_TAIL_TIMEOUT_MS });
    return tail.trim().split('\n').slice(-maxLines).join('\n');
  } catch {
    return '(no log)';
  }
}
