// Writes files into a data directory: atomically, as the server's user (never through its links), so PostgreSQL never reads half a file.
import { join } from 'node:path';
import { DugongError } from '../errors.js';
import { ROLE_CONF_FILE } from './role-settings.js';
import type { RunAs } from './types.js';
import { readFileAsUser, removeFileAsUser, writeFileAtomicAsUser } from './user-files.js';

export const STANDBY_SIGNAL_FILE = 'standby.signal';
export const INCLUDE_LINE = `include '${ROLE_CONF_FILE}'`;

/** Temp file, fsync, rename over the target, fsync the directory, all as runAs: the target is always the old or the new file. */
export async function writeFileAtomic(path: string, content: string, runAs: RunAs | undefined, mode = 0o600): Promise<void> {
  await writeFileAtomicAsUser(path, content, { runAs, mode });
}

/** A file the data directory must have (postgresql.conf), read as runAs. */
export async function readDataFile(path: string, runAs: RunAs | undefined): Promise<string> {
  const text = await readFileAsUser(path, { runAs });
  if (text === null) throw new DugongError('DUGONG_ERR_FILE_FAILED', `${path} does not exist`, { path });
  return text;
}

/**
 * Makes postgresql.conf include the driver's file, once, at the end (later lines win). A plain `include`, not
 * `include_if_exists`: if dugong.conf goes missing the server refuses to start instead of coming up writable
 * with no synchronous standby.
 */
export async function ensureRoleConfIncluded(dataDir: string, runAs: RunAs | undefined): Promise<void> {
  const path = join(dataDir, 'postgresql.conf');
  const current = await readDataFile(path, runAs);
  const included = current.split('\n').some((line) => line.trim() === INCLUDE_LINE);
  if (included) return;
  const separator = current.endsWith('\n') ? '' : '\n';
  const block = `${separator}\n# Dugong: the role settings (sync standby, upstream, writes) live in ${ROLE_CONF_FILE}.\n${INCLUDE_LINE}\n`;
  await writeFileAtomic(path, current + block, runAs);
}

/**
 * standby.signal present at start = come up in recovery, streaming from primary_conninfo. Written like the conf
 * files (rename over the name), so a link planted there is replaced, not written through, and the signal is set.
 */
export async function setStandbySignal(dataDir: string, present: boolean, runAs: RunAs | undefined): Promise<void> {
  const path = join(dataDir, STANDBY_SIGNAL_FILE);
  if (present) await writeFileAtomic(path, '', runAs);
  else await removeFileAsUser(path, { runAs });
}
