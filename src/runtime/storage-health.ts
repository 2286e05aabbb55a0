// The storage health check: write, fsync and read back a small file in the data directory, in a child process under a deadline.
import { execa } from 'execa';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { StorageCheckResult } from '../fsm/index.js';
import type { RunAs } from '../pg/index.js';
import type { Clock } from '../platform/clock.js';
import type { Executor, Report, StorageAction } from './runner.js';

export interface StorageHealthDeps {
  /** The directory checked: PostgreSQL's data directory (owned by the server's user, so the check runs as that user). */
  readonly directory: string;
  readonly runAs: RunAs | undefined;
  /** A healthy dataset answers in milliseconds; past this the check reports "not answering". */
  readonly deadlineMs: number;
  readonly clock: Clock;
  readonly log: Logger;
}

// The file lives in the data directory; PostgreSQL ignores names it does not know.
const CHECK_FILE = 'dugong_storage_check';
// $1 = directory. Until it holds a data directory (PG_VERSION), it is only read (stat -f, of its parent while it does
// not exist): initdb and pg_basebackup refuse a directory that is not empty, so nothing may be written there first.
// Two processes per check (sh and sync(1), which fsyncs the file): printf and read are shell builtins.
const CHECK_SCRIPT = [
  'if [ ! -f "$1/PG_VERSION" ]; then d="$1"; [ -d "$d" ] || d="${1%/*}"; exec stat -f "$d" >/dev/null; fi',
  `f="$1/${CHECK_FILE}"`,
  'printf "%s\\n" "$2" > "$f" && sync "$f" && read -r got < "$f" && [ "$got" = "$2" ]',
].join('\n');

/**
 * Why a child process: a file call on a hung mount (a wedged FUSE daemon, an OpenZFS pool suspended with
 * failmode=wait) never returns. In Node's thread pool it would hold one of the four threads for good and, after a
 * few checks, block every later file call of the sitter. A child can be abandoned; at most one is in flight, so a
 * check that cannot even be killed (uninterruptible I/O) costs one process, not one per probe.
 */
export class StorageHealthEffects implements Executor<StorageAction> {
  private inFlightSinceMs: number | null = null;

  constructor(private readonly deps: StorageHealthDeps) {}

  run(action: StorageAction, report: Report): void {
    const since = this.inFlightSinceMs;
    if (since !== null) {
      const pendingMs = Math.round(this.deps.clock.monotonicMs() - since);
      const result: StorageCheckResult = { kind: 'notAnswering', error: `the previous storage check has not returned for ${pendingMs} ms` };
      setImmediate(() => report({ kind: 'storageChecked', opId: action.opId, result }));
      return;
    }
    this.inFlightSinceMs = this.deps.clock.monotonicMs();
    let reported = false;
    const answer = (result: StorageCheckResult): void => {
      if (reported) return;
      reported = true;
      report({ kind: 'storageChecked', opId: action.opId, result });
    };
    const deadline = this.deps.clock.setTimer(this.deps.deadlineMs, () => {
      answer({ kind: 'notAnswering', error: `${this.deps.directory} did not answer a write, fsync and read within ${this.deps.deadlineMs} ms` });
    });
    void this.check().then((result) => {
      this.inFlightSinceMs = null;
      deadline.cancel();
      if (result.kind === 'notAnswering') this.deps.log.warn({ directory: this.deps.directory, err: result.error }, 'storage check failed');
      answer(result);
    });
  }

  private async check(): Promise<StorageCheckResult> {
    const token = String(this.deps.clock.now());
    try {
      const result = await execa('sh', ['-c', CHECK_SCRIPT, 'sh', this.deps.directory, token], {
        reject: false,
        stdin: 'ignore',
        // The child is killed at the deadline; a kill that cannot land (uninterruptible I/O) leaves it in flight.
        timeout: this.deps.deadlineMs,
        killSignal: 'SIGKILL',
        ...(this.deps.runAs === undefined ? {} : { uid: this.deps.runAs.uid, gid: this.deps.runAs.gid }),
      });
      if (!result.failed) return { kind: 'answered' };
      const how = result.timedOut ? `no answer within ${this.deps.deadlineMs} ms` : (result.stderr === '' ? result.shortMessage : String(result.stderr).trim());
      return { kind: 'notAnswering', error: `storage check in ${this.deps.directory} failed: ${how}` };
    } catch (error) {
      return { kind: 'notAnswering', error: `storage check in ${this.deps.directory} could not run: ${errorMessage(error)}` };
    }
  }
}
