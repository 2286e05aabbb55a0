// Every read and write of a file in the server's directories, run as the server's user in a helper under a deadline.
import { dirname } from 'node:path';
import { DugongError } from '../errors.js';
import { runWithDeadline, type DeadlineChildResult } from '../platform/deadline-child.js';
import type { RunAs } from './types.js';

/*
 * Why a helper process as the postgres user rather than fs calls of the root sitter: the postgres user controls these
 * directories, so any path in them may be a symbolic link it planted (dugong.conf → /etc/shadow); as postgres, the
 * kernel refuses what postgres itself may not do, and nothing outside its own reach is read or written. And a call on
 * storage that stopped answering blocks the helper, not one of the four threads every fs call of the sitter shares.
 * Cost, measured on the 2-core dev VM: 6-9 ms wall (~5 ms of sitter CPU) for a read or a check, ~17 ms for an
 * atomic write (two fsyncs); only the probe's existence check runs every second.
 */

export const DEFAULT_FILE_TIMEOUT_MS = 10_000;

export interface FileCall {
  readonly runAs: RunAs | undefined;
  readonly timeoutMs?: number;
}

const MISSING = 3;
const DENIED = 4;

async function asUser(call: FileCall, what: string, script: string, args: readonly string[], input?: string): Promise<DeadlineChildResult> {
  return runWithDeadline({
    file: '/bin/sh', args: ['-c', script, 'dugong-file', ...args], what, runAs: call.runAs,
    timeoutMs: call.timeoutMs ?? DEFAULT_FILE_TIMEOUT_MS, ...(input === undefined ? {} : { input }),
  });
}

function failed(what: string, path: string, result: DeadlineChildResult): DugongError {
  return new DugongError('DUGONG_ERR_FILE_FAILED', `${what} failed (exit code ${result.exitCode}): ${result.stderr || 'no message'}`, {
    path, exitCode: result.exitCode, stderr: result.stderr,
  });
}

/** The file's text, or null when it does not exist (a dangling link counts as missing). */
export async function readFileAsUser(path: string, call: FileCall): Promise<string | null> {
  const result = await asUser(call, `read ${path}`, `[ -e "$1" ] || exit ${MISSING}; exec cat -- "$1"`, [path]);
  if (result.exitCode === MISSING) return null;
  if (result.exitCode !== 0) throw failed(`read ${path}`, path, result);
  return result.stdout;
}

/**
 * A new temp file next to the target (mktemp: O_EXCL, so never an existing name), written, fsynced, renamed over
 * the target, then the directory fsynced: a reader sees the old file or the new one, never half of it. rename()
 * replaces a planted symbolic link itself; it never writes through it.
 */
const WRITE_ATOMIC = [
  'set -e', 'umask 077', 't=$(mktemp -- "$1.tmp-XXXXXX")', `trap 'rm -f -- "$t"' EXIT`, 'cat > "$t"', 'chmod -- "$2" "$t"',
  'sync -- "$t"', 'mv -fT -- "$t" "$1"', 'trap - EXIT', 'sync -- "$3"',
].join('\n');

export async function writeFileAtomicAsUser(path: string, content: string, call: FileCall & { readonly mode?: number }): Promise<void> {
  const mode = (call.mode ?? 0o600).toString(8);
  const result = await asUser(call, `write ${path}`, WRITE_ATOMIC, [path, mode, dirname(path)], content);
  if (result.exitCode !== 0) throw failed(`write ${path}`, path, result);
}

/** Removes the name (a link itself, never its target); nothing to do when it is missing. */
export async function removeFileAsUser(path: string, call: FileCall): Promise<void> {
  const result = await asUser(call, `remove ${path}`, 'set -e; rm -f -- "$1"; sync -- "$2"', [path, dirname(path)]);
  if (result.exitCode !== 0) throw failed(`remove ${path}`, path, result);
}

/** For each path, whether it exists for the server's user; one helper (a shell builtin loop) for all of them. */
export async function existAsUser(paths: readonly string[], call: FileCall): Promise<boolean[]> {
  const script = 'for p do if [ -e "$p" ]; then echo 1; else echo 0; fi; done';
  const result = await asUser(call, `check ${paths.join(', ')}`, script, paths);
  if (result.exitCode !== 0) throw failed(`check ${paths.join(', ')}`, paths[0] ?? '', result);
  return result.stdout.split('\n').slice(0, paths.length).map((line) => line === '1');
}

/** The directory's path with every symbolic link resolved, as the server's user sees it (shell builtins only). */
export async function realDirAsUser(path: string, call: FileCall): Promise<string> {
  const result = await asUser(call, `resolve ${path}`, 'cd -P -- "$1" && pwd -P', [path]);
  if (result.exitCode !== 0) throw failed(`resolve ${path}`, path, result);
  return result.stdout.trim();
}

/** Whether the directory holds anything; a missing directory holds nothing. */
export async function hasEntriesAsUser(path: string, call: FileCall): Promise<boolean> {
  const result = await asUser(call, `list ${path}`, '[ -e "$1" ] || exit 0; ls -A -- "$1"', [path]);
  if (result.exitCode !== 0) throw failed(`list ${path}`, path, result);
  return result.stdout.trim() !== '';
}

/** Opens (creating it 0640 if missing) the server's log for append as the server's user; its size, or null if denied. */
export async function openLogAsUser(path: string, call: FileCall): Promise<number | null> {
  const result = await asUser(call, `open ${path}`, `umask 027; { true >> "$1"; } 2>/dev/null || exit ${DENIED}; wc -c < "$1"`, [path]);
  if (result.exitCode === DENIED) return null;
  if (result.exitCode !== 0) throw failed(`open ${path}`, path, result);
  return Number(result.stdout.trim());
}

/** At most the last maxBytes of the file from fromOffset on, as the server's user may read it. */
export async function readTailAsUser(path: string, fromOffset: number, maxBytes: number, call: FileCall): Promise<string> {
  const script = [
    `size=$(wc -c < "$1") || exit ${MISSING}`, 'start=$((size - $3))', '[ "$start" -ge "$2" ] || start=$2',
    '[ "$start" -lt "$size" ] || exit 0', 'exec tail -c +$((start + 1)) -- "$1"',
  ].join('\n');
  const result = await asUser(call, `read ${path}`, script, [path, String(fromOffset), String(maxBytes)]);
  if (result.exitCode !== 0) throw failed(`read ${path}`, path, result);
  return result.stdout;
}
