// Types shared across the PostgreSQL driver: who runs the server, how to reach it, how it stopped.

/** The OS identity PostgreSQL runs under (it refuses to run as root); undefined: run as the sitter's own user. */
export interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

export interface PgConnectionTarget {
  /** An address, or a unix socket directory (starts with '/'). */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly password?: string;
}

/** fast = SIGINT (roll back sessions, checkpoint, exit); immediate = SIGQUIT (exit now, crash recovery at next start). */
export type StopMode = 'fast' | 'immediate';

export interface PgExit {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the exit followed a stop the controller was asked for; false means a crash the supervisor must handle. */
  readonly requested: boolean;
}

/** Every call names its own budget; these are the defaults. */
export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;
export const DEFAULT_START_TIMEOUT_MS = 60_000;
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;

export const DEFAULT_PG_BIN_DIR = '/usr/lib/postgresql/15/bin';
