// Scratch directories for tests, writable by the postgres user, removed in teardown.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScratchDir {
  readonly path: string;
  remove(): Promise<void>;
}

export async function makeScratchDir(prefix: string): Promise<ScratchDir> {
  const path = await mkdtemp(join(tmpdir(), `dugong-${prefix}-`));
  // PostgreSQL runs as `postgres` and needs to create its sockets, logs and data below here.
  await chmod(path, 0o777);
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A short, unique, lowercase name (pool names, dataset names, znode paths). */
export function uniqueName(prefix: string): string {
  return `${prefix}${process.pid.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}
