// Finds the uid/gid PostgreSQL must run under: the server refuses to run as root.
import { readFile } from 'node:fs/promises';
import { DugongError } from '../errors.js';
import type { RunAs } from './types.js';

/** The named user's ids from /etc/passwd. */
export async function lookupUser(userName: string): Promise<RunAs> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === userName && uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  }
  throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `user ${JSON.stringify(userName)} is not in /etc/passwd`, { userName });
}

/** When the sitter runs as root, PostgreSQL runs as userName; otherwise it runs as the sitter's own user. */
export async function runAsForServer(userName = 'postgres'): Promise<RunAs | undefined> {
  return process.getuid?.() === 0 ? lookupUser(userName) : undefined;
}
