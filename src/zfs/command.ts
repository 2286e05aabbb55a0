// Runs one zfs CLI command (argument vector, never a shell string) and turns a failure into a DugongError naming it.
import { execa } from 'execa';
import { DugongError } from '../errors.js';
import type { Logger } from '../log.js';
import { MOUNT_LOCK_BUSY_EXIT, spawnSpecFor } from './mount-lock.js';

export interface CommandRunner {
  readonly zfsBinary: string;
  readonly commandTimeoutMs: number;
  /** Host-wide lock taken around mounting commands (mount-lock.ts); null: none (illumos). */
  readonly mountLockFile: string | null;
  readonly log: Logger;
}

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** What a finished (or killed) command reported; the input to commandError. */
export interface CommandOutcome {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stderr: string;
  readonly timedOut?: boolean;
}

// Messages are matched in English, whatever the host locale.
export const COMMAND_ENV = { LC_ALL: 'C', LANG: 'C' } as const;
// zfs-fuse prints the whole usage text on a bad option; keep logs and error details readable.
const MAX_STDERR_CHARS = 4096;

export function trimStderr(stderr: string): string {
  const trimmed = stderr.trim();
  return trimmed.length <= MAX_STDERR_CHARS ? trimmed : `${trimmed.slice(0, MAX_STDERR_CHARS)}…`;
}

/** The command as an operator would type it; arguments with unusual characters are single-quoted. */
export function formatCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((part) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(part) ? part : `'${part.replaceAll("'", `'\\''`)}'`)).join(' ');
}

export function isNotFoundStderr(stderr: string): boolean {
  // "cannot open 'p/x': dataset does not exist", "could not send p/x@1: does not exist",
  // "incremental source (@1) does not exist": the same wording on zfs-fuse, illumos and OpenZFS.
  return /does not exist/.test(stderr);
}

export function commandError(command: string, args: readonly string[], outcome: CommandOutcome): DugongError {
  const stderr = trimStderr(outcome.stderr);
  const commandLine = formatCommandLine(command, args);
  const how = outcome.timedOut === true ? 'timed out' : outcome.exitCode !== undefined ? `exit ${outcome.exitCode}` : `signal ${outcome.signal ?? '?'}`;
  const firstLines = stderr.split('\n').slice(0, 3).join(' / ');
  const code = isNotFoundStderr(stderr) ? 'DUGONG_ERR_ZFS_NOT_FOUND' : 'DUGONG_ERR_COMMAND_FAILED';
  return new DugongError(code, `${commandLine} failed (${how}): ${firstLines === '' ? '(no stderr)' : firstLines}`, {
    command,
    args: [...args],
    commandLine,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    stderr,
  });
}

/** The same error with more said about it: text appended to the message, details added, a cause attached. */
export function extendError(error: DugongError, extra: { suffix?: string; details?: Record<string, unknown>; cause?: unknown }): DugongError {
  const message = error.message.slice(`${error.code}: `.length) + (extra.suffix ?? '');
  return new DugongError(error.code, message, { ...error.details, ...extra.details }, { cause: extra.cause ?? error.cause });
}

/** Runs `zfs <args>` to completion; resolves with its output or rejects with a DugongError carrying stderr. */
export async function runZfs(runner: CommandRunner, args: readonly string[]): Promise<CommandOutput> {
  const startedMs = performance.now();
  // The lock wait counts against the same deadline: a stuck holder must not hold this caller forever.
  const spawn = spawnSpecFor(runner.zfsBinary, args, runner.mountLockFile, runner.commandTimeoutMs / 2);
  const result = await execa(spawn.file, spawn.args, {
    reject: false,
    stdin: 'ignore',
    env: COMMAND_ENV,
    timeout: runner.commandTimeoutMs,
    killSignal: 'SIGKILL',
    stripFinalNewline: false,
  });
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  // zfs-fuse commands take 20–300 ms each; their durations are what a rebuild's fixed cost is made of.
  runner.log.debug({ args, durationMs: Math.round(performance.now() - startedMs), failed: result.failed }, 'zfs command');
  if (!result.failed) return { stdout, stderr };
  if (spawn.file !== runner.zfsBinary && result.exitCode === MOUNT_LOCK_BUSY_EXIT) {
    throw commandError(runner.zfsBinary, args, { exitCode: undefined, signal: undefined, stderr: `the zfs mount lock ${runner.mountLockFile ?? ''} was not free in time`, timedOut: true });
  }
  if (result.exitCode === undefined && result.signal === undefined && !result.timedOut) {
    // Not even started (binary missing, EACCES): execa's message says why.
    const commandLine = formatCommandLine(runner.zfsBinary, args);
    throw new DugongError('DUGONG_ERR_COMMAND_FAILED', `${commandLine} could not run: ${result.shortMessage}`, {
      command: runner.zfsBinary,
      args: [...args],
      commandLine,
      exitCode: undefined,
      stderr,
    });
  }
  throw commandError(runner.zfsBinary, args, { exitCode: result.exitCode, signal: result.signal, stderr, timedOut: result.timedOut });
}
