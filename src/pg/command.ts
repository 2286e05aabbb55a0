// Runs a PostgreSQL command-line tool (initdb, pg_basebackup, pg_controldata) under a budget, as the postgres user.
import { join } from 'node:path';
import { execa } from 'execa';
import { DugongError } from '../errors.js';
import type { RunAs } from './types.js';

export interface PgCommand {
  readonly binDir: string;
  /** Tool name inside binDir, e.g. "initdb". */
  readonly tool: string;
  readonly args: readonly string[];
  readonly runAs: RunAs | undefined;
  readonly timeoutMs: number;
  readonly env?: Readonly<Record<string, string>>;
}

export interface PgCommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Resolves with the output; rejects with COMMAND_FAILED (or PG_TIMEOUT) naming the command line and its stderr. */
export async function runPgCommand(command: PgCommand): Promise<PgCommandResult> {
  const file = join(command.binDir, command.tool);
  const commandLine = [file, ...command.args].join(' ');
  const result = await execa(file, command.args, {
    reject: false,
    timeout: command.timeoutMs,
    forceKillAfterDelay: 2_000,
    // The postgres user cannot enter the sitter's working directory (often /root); "/" is readable by all.
    cwd: '/',
    env: { LC_ALL: 'C', ...command.env },
    stdin: 'ignore',
    ...(command.runAs === undefined ? {} : { uid: command.runAs.uid, gid: command.runAs.gid }),
  });
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (result.timedOut) {
    throw new DugongError('DUGONG_ERR_PG_TIMEOUT', `${commandLine} did not finish within ${command.timeoutMs} ms: ${lastLines(stderr)}`, {
      command: commandLine,
      stderr,
      timeoutMs: command.timeoutMs,
    });
  }
  if (result.failed) {
    const why = result.exitCode === undefined ? (result.signal ?? result.shortMessage) : `exit code ${result.exitCode}`;
    throw new DugongError('DUGONG_ERR_COMMAND_FAILED', `${commandLine} failed (${why}): ${lastLines(stderr || (result.shortMessage ?? ''))}`, {
      command: commandLine,
      exitCode: result.exitCode,
      signal: result.signal,
      stderr,
    });
  }
  return { stdout, stderr };
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
