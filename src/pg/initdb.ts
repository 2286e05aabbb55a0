// Creates a new data directory: initdb as the server's user, Dugong's pg_hba.conf, base settings and the role-conf include.
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { Clock } from '../platform/clock.js';
import { runPgCommand } from './command.js';
import { renderConfFile, type GucValue } from './conf-render.js';
import { ensureRoleConfIncluded, readDataFile, writeFileAtomic } from './data-files.js';
import { DEFAULT_HBA, renderHba, type HbaSpec } from './hba.js';
import { ensureOwnedDir } from './owned-paths.js';
import { INITIAL_ROLE_SETTINGS, ROLE_CONF_FILE, renderRoleConf } from './role-settings.js';
import { DEFAULT_COMMAND_TIMEOUT_MS, type RunAs } from './types.js';

export interface InitdbOptions {
  readonly superuser?: string;
  readonly hba?: Partial<HbaSpec>;
  /** Settings of the data directory rather than of a role; appended to postgresql.conf once. */
  readonly baseSettings?: Readonly<Record<string, GucValue>>;
  /** false: initdb --no-sync (tests only: a crash during initdb leaves garbage). */
  readonly fsync?: boolean;
  readonly dataChecksums?: boolean;
  readonly timeoutMs?: number;
}

export interface InitdbTarget {
  readonly binDir: string;
  readonly dataDir: string;
  readonly runAs: RunAs | undefined;
  readonly log: Logger;
  readonly clock: Clock;
}

/**
 * pg_rewind needs hint bits in WAL (or checksums) to rewind a deposed primary instead of copying everything, and the
 * deposed primary's own WAL back to the last checkpoint before the split: wal_keep_size keeps that much on every
 * server (it also lets a standby restored from a snapshot catch up from its upstream's WAL).
 */
export const DEFAULT_BASE_SETTINGS: Readonly<Record<string, GucValue>> = { wal_log_hints: true, wal_keep_size: '256MB' };

/** Fails with COMMAND_FAILED (initdb's stderr included) if dataDir exists and is not empty. */
export async function initDataDir(target: InitdbTarget, options: InitdbOptions = {}): Promise<void> {
  const { dataDir, runAs } = target;
  // Created by us so that its parent need not be writable by postgres; initdb accepts an empty directory.
  await ensureOwnedDir(dataDir, runAs, 0o700);
  const args = [
    '-D', dataDir,
    '-U', options.superuser ?? 'postgres',
    // Dugong writes its own pg_hba.conf next; initdb only needs some method that requires no password.
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-instructions',
    ...(options.fsync === false ? ['--no-sync'] : []),
    ...(options.dataChecksums === true ? ['--data-checksums'] : []),
  ];
  const startedMs = target.clock.monotonicMs();
  await runPgCommand({ binDir: target.binDir, tool: 'initdb', args, runAs, timeoutMs: options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS });
  await writeFileAtomic(join(dataDir, 'pg_hba.conf'), renderHba({ ...DEFAULT_HBA, ...options.hba }), runAs);
  await appendBaseSettings(dataDir, { ...DEFAULT_BASE_SETTINGS, ...options.baseSettings }, runAs);
  await writeFileAtomic(join(dataDir, ROLE_CONF_FILE), renderRoleConf(INITIAL_ROLE_SETTINGS), runAs);
  await ensureRoleConfIncluded(dataDir, runAs);
  target.log.info({ dataDir, elapsedMs: Math.round(target.clock.monotonicMs() - startedMs) }, 'initdb done');
}

async function appendBaseSettings(dataDir: string, settings: Readonly<Record<string, GucValue>>, runAs: RunAs | undefined): Promise<void> {
  const path = join(dataDir, 'postgresql.conf');
  const current = await readDataFile(path, runAs);
  const block = renderConfFile('Dugong base settings (written once at initdb).', Object.entries(settings));
  await writeFileAtomic(path, `${current}\n${block}`, runAs);
}
