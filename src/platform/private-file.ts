// Reads a file that holds a secret, refusing it unless it is a regular file private to root or to the running user.
import type { Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { DugongError, errorMessage, type ErrorCode } from '../errors.js';

/** Why the file must not be trusted with a secret; empty when it is private to root or to us. */
export function unsafeFileReasons(info: Pick<Stats, 'mode' | 'uid' | 'isFile'>, uid: number): string[] {
  if (!info.isFile()) return ['it is not a regular file'];
  const reasons: string[] = [];
  // Any group or other bit: readable leaks the secret, writable lets someone else choose it.
  if ((info.mode & 0o077) !== 0) reasons.push(`its mode ${(info.mode & 0o777).toString(8).padStart(3, '0')} gives group or others access (chmod 600 it)`);
  if (info.uid !== 0 && info.uid !== uid) reasons.push(`it is owned by uid ${info.uid}, neither root nor the user this daemon runs as (uid ${uid})`);
  return reasons;
}

/**
 * Reads the file through one descriptor, so the permissions checked are those of the file read. `what` names it
 * in messages ("secret file"); an unreadable file is DUGONG_ERR_CONFIG_INVALID, an exposed one `unsafeCode`.
 */
export async function readPrivateFile(path: string, what: string, unsafeCode: ErrorCode): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `cannot read the ${what} ${path}: ${errorMessage(error)}`, { path });
  }
  try {
    const reasons = unsafeFileReasons(await handle.stat(), process.getuid?.() ?? 0);
    if (reasons.length > 0) throw new DugongError(unsafeCode, `refusing the ${what} ${path}: ${reasons.join('; ')}`, { path, reasons });
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
