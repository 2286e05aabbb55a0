// Reads live settings, reloads configuration, and reports problems PostgreSQL found in the driver's conf file.
import { DugongError } from '../errors.js';
import { onlyRow, type PgSession } from './connection.js';

/** Live values as SHOW reports them in this session; custom settings (dugong.*) included, unknown names left out. */
export async function readSettings(session: PgSession, names: readonly string[]): Promise<Map<string, string>> {
  const rows = await session.query<{ name: string; setting: string | null }>(
    'SELECT name, current_setting(name, true) AS setting FROM unnest($1::text[]) AS name',
    [names],
  );
  return new Map(rows.flatMap((row) => (row.setting === null ? [] : [[row.name, row.setting] as const])));
}

/** pg_reload_conf() only signals the postmaster; callers confirm the new values arrived by reading them back. */
export async function requestReload(session: PgSession): Promise<void> {
  const row = onlyRow(await session.query<{ ok: boolean }>('SELECT pg_reload_conf() AS ok'), 'pg_reload_conf()');
  if (!row.ok) throw new DugongError('DUGONG_ERR_PG_QUERY_FAILED', 'pg_reload_conf() returned false (could not signal the postmaster)');
}

/**
 * Lines of `fileName` that PostgreSQL rejects or that a later file overrides (postgresql.auto.conf from an
 * ALTER SYSTEM, say). pg_file_settings parses the files as they are on disk now, so this works before a reload.
 */
export async function confFileProblems(session: PgSession, fileName: string): Promise<string[]> {
  const rows = await session.query<{ sourceline: number; name: string | null; applied: boolean; error: string | null }>(
    `SELECT sourceline, name, applied, error FROM pg_file_settings
      WHERE sourcefile LIKE '%/' || $1 AND (error IS NOT NULL OR NOT applied)
      ORDER BY sourceline`,
    [fileName],
  );
  return rows.map((row) => `${fileName}:${row.sourceline} ${row.name ?? ''}: ${row.error ?? 'overridden by a later setting'}`);
}
