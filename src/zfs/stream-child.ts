// Starts a streaming zfs child (send or recv) and stops it for certain: kill by PID and close our end of its pipe.
import { execa, type ResultPromise } from 'execa';
import type { Readable, Writable } from 'node:stream';
import { DugongError } from '../errors.js';
import { COMMAND_ENV, commandError, formatCommandLine } from './command.js';
import type { ZfsContext } from './context.js';

export type StreamDirection = 'read-stdout' | 'write-stdin';

export interface StreamChild {
  readonly pid: number;
  readonly args: readonly string[];
  /** Our end of the data pipe: the child's stdout (send) or stdin (recv). */
  readonly pipe: Readable | Writable;
  /** Resolves with the child's outcome; never rejects. */
  readonly exited: Promise<ChildOutcome>;
  /** SIGKILL by PID and close our end of the pipe; idempotent. */
  kill(): void;
}

export interface ChildOutcome {
  readonly ok: boolean;
  readonly error?: DugongError;
}

/**
 * Starts `zfs <args>` with no shell, no timeout (streams run as long as the data flows) and stderr collected.
 * No stdout/stdin buffering: the data pipe is handed to the caller as a stream.
 */
export function startStreamChild(ctx: ZfsContext, args: readonly string[], direction: StreamDirection): StreamChild {
  ctx.log.debug({ args }, 'zfs stream command');
  const subprocess: ResultPromise = execa(ctx.zfsBinary, args, {
    reject: false,
    env: COMMAND_ENV,
    stdin: direction === 'write-stdin' ? 'pipe' : 'ignore',
    stdout: direction === 'read-stdout' ? 'pipe' : 'ignore',
    stderr: 'pipe',
    buffer: { stdout: false, stderr: true },
    killSignal: 'SIGKILL',
  });
  const pipe = direction === 'read-stdout' ? subprocess.stdout : subprocess.stdin;
  if (subprocess.pid === undefined || pipe === null) {
    subprocess.kill('SIGKILL');
    throw new DugongError('DUGONG_ERR_COMMAND_FAILED', `${formatCommandLine(ctx.zfsBinary, args)} could not be started`, {
      command: ctx.zfsBinary,
      args: [...args],
      exitCode: undefined,
      stderr: '',
    });
  }
  const exited = subprocess.then((result): ChildOutcome => {
    if (!result.failed) return { ok: true };
    const stderr = typeof result.stderr === 'string' ? result.stderr : '';
    return { ok: false, error: commandError(ctx.zfsBinary, args, { exitCode: result.exitCode, signal: result.signal, stderr }) };
  });
  // Anyone may kill the CLI child (we on abort, an operator, a test's teardown). execa settles only once the pipe
  // closes, and with zfs-fuse the daemon keeps the other end open: so a failed or killed child closes our end at once.
  // Not on exit 0: zfs-fuse's CLI exits when the daemon is done, with stream bytes possibly still in the pipe.
  subprocess.once('exit', (code) => {
    if (code !== 0) pipe.destroy();
  });
  const kill = (): void => {
    // With zfs-fuse the daemon holds the other end of the pipe, not the CLI child: only closing our end (EOF on
    // receive, EPIPE on send) makes it abandon the stream and remove a partial receive.
    subprocess.kill('SIGKILL');
    pipe.destroy();
  };
  return { pid: subprocess.pid, args, pipe, exited, kill };
}

export function abortedError(ctx: ZfsContext, args: readonly string[], reason: unknown): DugongError {
  const commandLine = formatCommandLine(ctx.zfsBinary, args);
  const why = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return new DugongError('DUGONG_ERR_COMMAND_FAILED', `${commandLine} aborted: ${why}`, {
    command: ctx.zfsBinary,
    args: [...args],
    commandLine,
    exitCode: undefined,
    stderr: '',
    aborted: true,
  }, { cause: reason });
}
