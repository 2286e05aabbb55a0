// Spawns the postmaster as a child of the sitter (no pg_ctl daemonizing), so the sitter owns it and sees it exit.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DugongError } from '../errors.js';
import type { RunAs } from './types.js';

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

export async function spawnPostmaster(spec: PostmasterSpec, spawnFn: SpawnFn = spawn): Promise<SpawnedPostmaster> {
  const logOffset = await fileSize(spec.logFile);
  const log = await open(spec.logFile, 'a', 0o640);
  try {
    const command = join(spec.binDir, 'postgres');
    const child = spawnFn(command, postmasterArgs(spec), {
      // A log file rather than a pipe: a pipe nobody drains would stall the server, and dies with the sitter.
      stdio: ['ignore', log.fd, log.fd],
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
  } finally {
    // The child holds its own copy of the descriptor.
    await log.close();
  }
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

/** The last lines this run wrote to the log, for error messages about a failed start. */
export async function readLogTail(logFile: string, fromOffset: number, maxLines = 10): Promise<string> {
  try {
    const size = await fileSize(logFile);
    const start = Math.max(fromOffset, size - 16_384);
    const handle = await open(logFile, 'r');
    try {
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.toString('utf8').trim().split('\n').slice(-maxLines).join('\n');
    } finally {
      await handle.close();
    }
  } catch {
    return '(no log)';
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
