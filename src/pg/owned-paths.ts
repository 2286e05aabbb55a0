// What only root can do for the server's user (create and hand over a directory or the log), without following links.
import { DugongError } from '../errors.js';
import { runWithDeadline, type DeadlineChildResult } from '../platform/deadline-child.js';
import type { RunAs } from './types.js';
import { DEFAULT_FILE_TIMEOUT_MS } from './user-files.js';

/** A chown -R of a whole data directory walks every file: minutes on a big one, but still bounded. */
export const CHOWN_TREE_TIMEOUT_MS = 3_600_000;

const UNSAFE = 5;

function checked(what: string, path: string, result: DeadlineChildResult): void {
  if (result.exitCode === 0) return;
  const code = result.exitCode === UNSAFE ? 'DUGONG_ERR_FILE_UNSAFE' : 'DUGONG_ERR_FILE_FAILED';
  throw new DugongError(code, `${what}: ${result.stderr || `exit code ${result.exitCode}`}`, { path, exitCode: result.exitCode });
}

/**
 * mkdir -p (parents are the operator's, from the config), then refuse a symbolic link or a non-directory in the
 * last place (the one name the server's user may control, e.g. data/ inside its mountpoint), then chown -h: the
 * link itself, never a target. Without runAs the sitter is not root and only creates.
 */
const ENSURE_DIR = [
  'mkdir -p -m "$2" -- "$1" || exit 1',
  `if [ -L "$1" ] || [ ! -d "$1" ]; then echo "$1 is a symbolic link or not a directory: left untouched" >&2; exit ${UNSAFE}; fi`,
  '[ -z "$3" ] || exec chown -h -- "$3" "$1"',
].join('\n');

export async function ensureOwnedDir(path: string, runAs: RunAs | undefined, mode: number, timeoutMs = DEFAULT_FILE_TIMEOUT_MS): Promise<void> {
  const owner = runAs === undefined ? '' : `${runAs.uid}:${runAs.gid}`;
  const what = `create ${path}`;
  const result = await runWithDeadline({ file: '/bin/sh', args: ['-c', ENSURE_DIR, 'dugong-dir', path, mode.toString(8), owner], what, runAs: undefined, timeoutMs });
  checked(what, path, result);
}

/** uid and gid of the name itself (ls -n does not follow a symbolic link given as the operand). */
export async function ownerOf(path: string, timeoutMs = DEFAULT_FILE_TIMEOUT_MS): Promise<RunAs> {
  const what = `stat ${path}`;
  const result = await runWithDeadline({ file: 'ls', args: ['-nd', '--', path], what, runAs: undefined, timeoutMs });
  checked(what, path, result);
  const [, , uid, gid] = result.stdout.trim().split(/\s+/);
  return { uid: Number(uid), gid: Number(gid) };
}

/** -h: a link's own owner, never its target's (illumos' chown -R follows links without it); -P: no walking into links. */
export async function chownTree(path: string, runAs: RunAs, timeoutMs = CHOWN_TREE_TIMEOUT_MS): Promise<void> {
  const what = `chown -R ${path}`;
  const result = await runWithDeadline({ file: 'chown', args: ['-R', '-h', '-P', '--', `${runAs.uid}:${runAs.gid}`, path], what, runAs: undefined, timeoutMs });
  checked(what, path, result);
}

/**
 * The only descriptor-based operation, for a log in a directory the server's user cannot write (so it cannot create
 * the log itself, e.g. /var/log/dugong), or a log root created before Dugong opened it as postgres: open with
 * O_NOFOLLOW|O_CREAT (and O_NONBLOCK, so a FIFO cannot block it), fstat, and fchown that very descriptor, only if it
 * is a plain file with one link (a hard link to /etc/shadow has two). Nothing is written to it.
 */
const ADOPT_FILE = `
const fs = require('node:fs');
const c = fs.constants;
const [path, uid, gid] = process.argv.slice(1);
let fd;
try {
  fd = fs.openSync(path, c.O_WRONLY | c.O_APPEND | c.O_CREAT | c.O_NOFOLLOW | c.O_NONBLOCK | c.O_NOCTTY, 0o640);
} catch (error) {
  console.error(error.message);
  process.exit(error.code === 'ELOOP' || error.code === 'ENXIO' ? ${UNSAFE} : 1);
}
const info = fs.fstatSync(fd);
if (!info.isFile() || info.nlink !== 1) {
  console.error(path + ' is not a plain file with a single link: left untouched');
  process.exit(${UNSAFE});
}
if (info.uid !== Number(uid) || info.gid !== Number(gid)) fs.fchownSync(fd, Number(uid), Number(gid));
fs.closeSync(fd);
`;

export async function adoptFile(path: string, runAs: RunAs, timeoutMs = DEFAULT_FILE_TIMEOUT_MS): Promise<void> {
  const what = `hand ${path} to uid ${runAs.uid}`;
  const args = ['-e', ADOPT_FILE, path, String(runAs.uid), String(runAs.gid)];
  const result = await runWithDeadline({ file: process.execPath, args, what, runAs: undefined, timeoutMs });
  checked(what, path, result);
}
