// Rewinds a stopped, diverged data directory to a running source with pg_rewind, for a deposed primary on plain storage.
import { runPgCommand } from './command.js';
import { ensureRoleConfIncluded } from './data-files.js';
import type { PgConnectionTarget, RunAs } from './types.js';

export interface RewindSpec {
  readonly binDir: string;
  readonly dataDir: string;
  readonly runAs: RunAs | undefined;
  /** The new primary; pg_rewind reads its files over a normal connection (superuser or the documented grants). */
  readonly source: PgConnectionTarget;
  readonly timeoutMs: number;
}

/**
 * pg_rewind copies only the blocks that changed since the histories split, so it is much cheaper than a base backup.
 * It needs wal_log_hints (initdb sets it) and the WAL since the split on both sides; when it refuses, the caller falls
 * back to a fresh base backup. PostgreSQL 15 runs crash recovery on a target that was not shut down cleanly first.
 */
export async function rewind(spec: RewindSpec): Promise<void> {
  const { source } = spec;
  const conninfo = [`host=${source.host}`, `port=${source.port}`, `user=${source.user}`, `dbname=${source.database}`].join(' ');
  const args = ['--target-pgdata', spec.dataDir, '--source-server', conninfo, '--progress'];
  const env = source.password === undefined ? undefined : { PGPASSWORD: source.password };
  await runPgCommand({ binDir: spec.binDir, tool: 'pg_rewind', args, runAs: spec.runAs, timeoutMs: spec.timeoutMs, env });
  await ensureRoleConfIncluded(spec.dataDir, spec.runAs);
}
