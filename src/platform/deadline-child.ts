// Runs a short helper process under a hard deadline: on hung storage the helper blocks, never the sitter's thread pool.
import { execa } from 'execa';
import { DugongError } from '../errors.js';
import { systemClock, type Clock } from './clock.js';
import { setDeadline } from './timeout.js';

export interface DeadlineChildSpec {
  readonly file: string;
  readonly args: readonly string[];
  /** What the helper does, for error messages, e.g. "write /data/dugong.conf". */
  readonly what: string;
  readonly timeoutMs: number;
  /** Run as this user (the kernel then checks that user's permissions); undefined: as the sitter's own user. */
  readonly runAs: { readonly uid: number; readonly gid: number } | undefined;
  /** Written to the helper's stdin; without it stdin is /dev/null. */
  readonly input?: string;
  readonly clock?: Clock;
}

export interface DeadlineChildResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** GNU tools first (illumos keeps them in /usr/gnu/bin); nothing from the sitter's own environment leaks in. */
const HELPER_ENV = { PATH: '/usr/gnu/bin:/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C' };

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone: nothing left to stop.
  }
}

/**
 * Resolves with the exit code and output, whatever the code; rejects with FILE_TIMEOUT once timeoutMs have passed.
 * The deadline does not wait for the helper to exit: a process stuck in an uninterruptible wait (a suspended pool)
 * ignores even SIGKILL until the storage answers, and is reaped whenever it finally exits. Spawning and reaping use
 * no libuv pool thread, so any number of stuck helpers leave the sitter's own file calls free.
 */
export function runWithDeadline(spec: DeadlineChildSpec): Promise<DeadlineChildResult> {
  const child = execa(spec.file, spec.args, {
    reject: false,
    cwd: '/',
    env: HELPER_ENV,
    extendEnv: false,
    stripFinalNewline: false,
    // Its own process group, so the deadline kills the shell's children too (a cat or sync stuck on the mount).
    detached: true,
    ...(spec.input === undefined ? { stdin: 'ignore' as const } : { input: spec.input }),
    ...(spec.runAs === undefined ? {} : { uid: spec.runAs.uid, gid: spec.runAs.gid }),
  });
  return new Promise((resolve, reject) => {
    const deadline = setDeadline(spec.clock ?? systemClock, spec.timeoutMs, () => {
      killGroup(child.pid);
      reject(new DugongError('DUGONG_ERR_FILE_TIMEOUT', `${spec.what} did not finish within ${spec.timeoutMs} ms (storage not answering?)`, {
        what: spec.what,
        timeoutMs: spec.timeoutMs,
        pid: child.pid,
      }));
    });
    void child.then((result) => {
      deadline.cancel();
      if (result.exitCode === undefined) {
        const why = result.signal ?? result.shortMessage;
        reject(new DugongError('DUGONG_ERR_FILE_FAILED', `${spec.what}: the helper process did not run (${why})`, { what: spec.what }));
        return;
      }
      resolve({ exitCode: result.exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '').trim() });
    });
  });
}
