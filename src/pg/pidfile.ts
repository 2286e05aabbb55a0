// Reads postmaster.pid and decides whether a server from an earlier run still holds the data directory.
import { join } from 'node:path';
import { isProcessAlive, pidsInDirectory, processCwd, processName } from './proc.js';
import type { RunAs } from './types.js';
import { readFileAsUser, realDirAsUser } from './user-files.js';

export interface PostmasterPidFile {
  readonly pid: number;
  readonly dataDir: string;
  readonly port: number | null;
  readonly socketDir: string | null;
  /** "starting", "stopping", "ready" or "standby" (PG 10+); null while the file is being written. */
  readonly status: string | null;
}

export type LeftoverFinding =
  | { readonly kind: 'none' }
  /**
   * The file names a dead PID: PostgreSQL ignores such a file at start, unless backends of the dead postmaster
   * (`orphans`) still use its shared memory, in which case it refuses to start until they are gone.
   */
  | { readonly kind: 'stale'; readonly pid: number; readonly orphans: readonly number[] }
  /** A live postmaster running on this data directory. */
  | { readonly kind: 'running'; readonly pid: number; readonly port: number | null; readonly status: string | null }
  /** The PID is alive but is not a postmaster of this data directory (PID reuse): PostgreSQL will refuse to start. */
  | { readonly kind: 'foreign'; readonly pid: number; readonly reason: string };

/** Line layout from src/include/miscadmin.h (LOCK_FILE_LINE_*). */
export function parsePostmasterPid(text: string): PostmasterPidFile | null {
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const port = Number(lines[3]);
  const optional = (value: string | undefined): string | null => (value === undefined || value.trim() === '' ? null : value.trim());
  return {
    pid,
    dataDir: lines[1] ?? '',
    port: Number.isInteger(port) && port > 0 ? port : null,
    socketDir: optional(lines[4]),
    status: optional(lines[7]),
  };
}

/** Read as the server's user: the file is in its directory (and may be a link it planted). */
export async function readPostmasterPid(dataDir: string, runAs: RunAs | undefined): Promise<PostmasterPidFile | null> {
  const text = await readFileAsUser(join(dataDir, 'postmaster.pid'), { runAs });
  return text === null ? null : parsePostmasterPid(text);
}

export async function findLeftoverPostmaster(dataDir: string, runAs: RunAs | undefined): Promise<LeftoverFinding> {
  const file = await readPostmasterPid(dataDir, runAs);
  if (file === null) return { kind: 'none' };
  const { pid } = file;
  if (!(await isProcessAlive(pid))) return { kind: 'stale', pid, orphans: await pidsInDirectory(await realDirAsUser(dataDir, { runAs }), 'postgres') };
  const name = await processName(pid);
  if (name !== 'postgres' && name !== 'postmaster') return { kind: 'foreign', pid, reason: `PID ${pid} is ${name ?? 'unknown'}, not postgres` };
  const [cwd, ours] = await Promise.all([processCwd(pid), realDirAsUser(dataDir, { runAs })]);
  if (cwd !== ours) return { kind: 'foreign', pid, reason: `PID ${pid} is a postgres in ${cwd ?? 'an unknown directory'}, not ${ours}` };
  return { kind: 'running', pid, port: file.port, status: file.status };
}
