// Copies a running upstream into an empty data directory with pg_basebackup, for a new or rebuilt standby.
import { runPgCommand } from './command.js';
import { ensureRoleConfIncluded } from './data-files.js';
import { ensureOwnedDir } from './owned-paths.js';
import type { PgConnectionTarget, RunAs } from './types.js';

export interface BasebackupSpec {
  readonly binDir: string;
  readonly dataDir: string;
  readonly runAs: RunAs | undefined;
  /** The server to copy; user must have the REPLICATION attribute. */
  readonly source: PgConnectionTarget;
  readonly timeoutMs: number;
  /** false: --no-sync (tests only). */
  readonly fsync?: boolean;
}

/**
 * Without -R: the copy's role comes from dugong.conf and standby.signal, which the caller writes next;
 * -R would put primary_conninfo into postgresql.auto.conf, where it silently overrides dugong.conf.
 */
export async function basebackup(spec: BasebackupSpec): Promise<void> {
  await ensureOwnedDir(spec.dataDir, spec.runAs, 0o700);
  const { source } = spec;
  const args = [
    '-h', source.host,
    '-p', String(source.port),
    '-U', source.user,
    '-D', spec.dataDir,
    '--wal-method=stream',
    '--checkpoint=fast',
    '--no-password',
    ...(spec.fsync === false ? ['--no-sync'] : []),
  ];
  const env = source.password === undefined ? undefined : { PGPASSWORD: source.password };
  await runPgCommand({ binDir: spec.binDir, tool: 'pg_basebackup', args, runAs: spec.runAs, timeoutMs: spec.timeoutMs, env });
  await ensureRoleConfIncluded(spec.dataDir, spec.runAs);
}
