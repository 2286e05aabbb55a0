// The settings that make a server a primary or a standby, and their rendering into the driver-owned dugong.conf.
import { createHash } from 'node:crypto';
import { DugongError } from '../errors.js';
import { isSafeApplicationName } from './application-name.js';
import { renderConfFile, shownConfValue, type GucValue } from './conf-render.js';
import { renderConninfo } from './conninfo.js';

/** The file the driver owns, in the data directory, included from postgresql.conf. */
export const ROLE_CONF_FILE = 'dugong.conf';

export interface UpstreamSpec {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** This standby's own name as its upstream lists it (pg_stat_replication, synchronous_standby_names). */
  readonly applicationName: string;
  /** More libpq keywords (sslmode, passfile, connect_timeout, ...). */
  readonly extraConninfo?: Readonly<Record<string, string | number>>;
}

/** The whole driver-owned configuration: written as one file, so a half-applied role cannot exist on disk. */
export interface RoleSettings {
  /** false → default_transaction_read_only = on: new transactions are read-only unless a client overrides it. */
  readonly writable: boolean;
  /** application_name of the synchronous standby; null: commits wait for no one. */
  readonly syncStandbyName: string | null;
  /** Where to stream WAL from while in recovery; null on a primary (and just before promotion). */
  readonly upstream: UpstreamSpec | null;
  /** More reloadable settings; may not name a setting the driver owns. */
  readonly extra?: Readonly<Record<string, GucValue>>;
}

/** The safe state for a fresh data directory: read-only, no sync, no upstream. */
export const INITIAL_ROLE_SETTINGS: RoleSettings = { writable: false, syncStandbyName: null, upstream: null };

/**
 * A digest of the file's settings, written into the file as a custom setting: once a new session reports this
 * value, the reload that carried every other line of this version has happened, whatever those values look like.
 */
export const ROLE_TOKEN_SETTING = 'dugong.role_token';

/** Settings whose live values are read back after a reload to prove the reload applied. */
export const VERIFIED_SETTINGS = [
  'default_transaction_read_only',
  'synchronous_standby_names',
  'synchronous_commit',
  'primary_conninfo',
  ROLE_TOKEN_SETTING,
] as const;

const CONSTANT_SETTINGS: ReadonlyArray<readonly [string, GucValue]> = [
  // Follow a promoted upstream onto its new timeline (the PG 12+ default, stated so nobody's conf can undo it).
  ['recovery_target_timeline', 'latest'],
  ['hot_standby', true],
  // "on" waits for the sync to flush: an acknowledged commit survives losing the primary (rule 6 of docs/protocol.md).
  ['synchronous_commit', 'on'],
  // An unreachable upstream (restarting after a crash, not yet promoted) is retried every 100 ms, not every 5 s:
  // measured, this wait was half of the write outage after a primary PostgreSQL crash.
  ['wal_retrieve_retry_interval', '100ms'],
];

const UPSTREAM_KEYWORDS = new Set(['host', 'port', 'user', 'application_name']);

export function upstreamConninfo(upstream: UpstreamSpec): string {
  if (!isSafeApplicationName(upstream.applicationName)) throw unsafeName(upstream.applicationName);
  const clash = Object.keys(upstream.extraConninfo ?? {}).find((keyword) => UPSTREAM_KEYWORDS.has(keyword));
  if (clash !== undefined) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `extraConninfo may not set ${clash}; it comes from the upstream itself`, { keyword: clash });
  }
  return renderConninfo({
    host: upstream.host,
    port: upstream.port,
    user: upstream.user,
    application_name: upstream.applicationName,
    ...upstream.extraConninfo,
  });
}

/** Every setting dugong.conf carries, in file order. */
export function roleSettingsToGucs(settings: RoleSettings): Array<readonly [string, GucValue]> {
  const sync = settings.syncStandbyName;
  if (sync !== null && !isSafeApplicationName(sync)) throw unsafeName(sync);
  const owned: Array<readonly [string, GucValue]> = [
    ['default_transaction_read_only', !settings.writable],
    // Quoted as an identifier so a name starting with a digit is taken literally.
    ['synchronous_standby_names', sync === null ? '' : `"${sync}"`],
    ['primary_conninfo', settings.upstream === null ? '' : upstreamConninfo(settings.upstream)],
    ...CONSTANT_SETTINGS,
  ];
  const ownedNames = new Set([...owned.map(([name]) => name), ROLE_TOKEN_SETTING]);
  for (const [name, value] of Object.entries(settings.extra ?? {})) {
    if (ownedNames.has(name)) {
      throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `extra setting ${name} is owned by the driver`, { name });
    }
    owned.push([name, value]);
  }
  const token = createHash('sha256').update(JSON.stringify(owned)).digest('hex').slice(0, 16);
  owned.push([ROLE_TOKEN_SETTING, token]);
  return owned;
}

export function renderRoleConf(settings: RoleSettings): string {
  const header = [
    'Written by the Dugong sitter; any edit is overwritten at the next role change.',
    `Role: ${describeRole(settings)}.`,
  ].join('\n');
  return renderConfFile(header, roleSettingsToGucs(settings));
}

/** The values SHOW must report once the file is live, for VERIFIED_SETTINGS. */
export function expectedShownSettings(settings: RoleSettings): ReadonlyMap<string, string> {
  const gucs = new Map(roleSettingsToGucs(settings));
  return new Map(
    VERIFIED_SETTINGS.map((name) => {
      const value = gucs.get(name);
      return [name, value === undefined ? '' : shownConfValue(value)];
    }),
  );
}

function describeRole(settings: RoleSettings): string {
  const writes = settings.writable ? 'writable' : 'read-only';
  const sync = settings.syncStandbyName === null ? 'no sync standby' : `sync standby ${settings.syncStandbyName}`;
  const upstream = settings.upstream === null ? 'no upstream' : `upstream ${settings.upstream.host}:${settings.upstream.port}`;
  return `${writes}, ${sync}, ${upstream}`;
}

function unsafeName(name: string): DugongError {
  return new DugongError('DUGONG_ERR_CONFIG_INVALID', `application_name ${JSON.stringify(name)} is not [a-z0-9_]{1,63}`, {
    name,
    hint: 'derive it with applicationNameForPeer()',
  });
}
