// Writes files into a data directory: atomically, owned by the server's user, so PostgreSQL never reads half a file.
import { chown, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ROLE_CONF_FILE } from './role-settings.js';
import type { RunAs } from './types.js';

export const STANDBY_SIGNAL_FILE = 'standby.signal';
export const INCLUDE_LINE = `include '${ROLE_CONF_FILE}'`;

/** Temp file, fsync, chown, rename over the target, fsync the directory: the target is always the old or the new file. */
export async function writeFileAtomic(path: string, content: string, runAs: RunAs | undefined, mode = 0o600): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  const handle = await open(temporary, 'w', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (runAs !== undefined) await chown(temporary, runAs.uid, runAs.gid);
  await rename(temporary, path);
  await syncDirectory(dirname(path));
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes postgresql.conf include the driver's file, once, at the end (later lines win). A plain `include`, not
 * `include_if_exists`: if dugong.conf goes missing the server refuses to start instead of coming up writable
 * with no synchronous standby.
 */
export async function ensureRoleConfIncluded(dataDir: string, runAs: RunAs | undefined): Promise<void> {
  const path = join(dataDir, 'postgresql.conf');
  const current = await readFile(path, 'utf8');
  const included = current.split('\n').some((line) => line.trim() === INCLUDE_LINE);
  if (included) return;
  const separator = current.endsWith('\n') ? '' : '\n';
  const block = `${separator}\n# Dugong: the role settings (sync standby, upstream, writes) live in ${ROLE_CONF_FILE}.\n${INCLUDE_LINE}\n`;
  await writeFileAtomic(path, current + block, runAs);
}

/** standby.signal present at start = come up in recovery, streaming from primary_conninfo. */
export async function setStandbySignal(dataDir: string, present: boolean, runAs: RunAs | undefined): Promise<void> {
  const path = join(dataDir, STANDBY_SIGNAL_FILE);
  if (!present) {
    await rm(path, { force: true });
    return;
  }
  await writeFile(path, '', { mode: 0o600 });
  if (runAs !== undefined) await chown(path, runAs.uid, runAs.gid);
}
