// PostgresClient: every query the sitter sends to one server, each on its own connection under its own budget.
import type { Logger } from '../log.js';
import type { Clock } from '../platform/clock.js';
import { withConnection, type PgSession } from './connection.js';
import { checkHealth, type PgHealth } from './health.js';
import { promoteServer, type PromoteOutcome } from './promote.js';
import { catchUpStatus, readReplication, type CatchUpStatus, type ReplicationRow } from './replication.js';
import { terminateOpenTransactions } from './sessions.js';
import { confFileProblems, readSettings, requestReload } from './settings-query.js';
import { parseTimelineHistory, timelineHistoryFileName, type TimelineSwitch } from './timeline-history.js';
import { DEFAULT_QUERY_TIMEOUT_MS, type PgConnectionTarget } from './types.js';
import { readWalReceiver, type WalReceiverStatus } from './wal-receiver.js';
import { readWalPositions, type WalPositions } from './wal.js';

export interface CallOptions {
  /** Budget for connecting and answering; defaults to the client's defaultTimeoutMs. */
  readonly timeoutMs?: number;
}

export interface QueryOptions extends CallOptions {
  /** Server-side statement_timeout; defaults to timeoutMs. */
  readonly statementTimeoutMs?: number;
}

export interface QueryOutcome<R> {
  readonly rows: R[];
  /** Server NOTICEs/WARNINGs, e.g. "canceling wait for synchronous replication" on a cancelled commit. */
  readonly notices: readonly string[];
}

export interface PostgresClient {
  readonly target: PgConnectionTarget;
  query<R extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryOutcome<R>>;
  /** Never throws: { healthy: false, error } for a refused, failing or hanging server. */
  checkHealth(options?: CallOptions): Promise<PgHealth>;
  walPositions(options?: CallOptions): Promise<WalPositions>;
  /** pg_stat_replication on this (upstream) server. */
  replication(options?: CallOptions): Promise<ReplicationRow[]>;
  /** Rule 6's test for the named standby (streaming, flush = sent). */
  catchUp(applicationName: string, options?: CallOptions): Promise<CatchUpStatus>;
  /** pg_stat_wal_receiver on this (standby) server; null when no walreceiver runs. */
  walReceiver(options?: CallOptions): Promise<WalReceiverStatus | null>;
  /** WAL positions, the named settings and the WAL receiver, read in one session (the sitter's periodic probe). */
  snapshot(settingNames: readonly string[], options?: CallOptions): Promise<ServerSnapshot>;
  /** Live values from pg_settings. */
  settings(names: readonly string[], options?: CallOptions): Promise<Map<string, string>>;
  /** Lines of a conf file the server rejects or overrides (see pg_file_settings). */
  confFileProblems(fileName: string, options?: CallOptions): Promise<string[]>;
  /** Signals a configuration reload; the caller confirms with settings(). */
  reload(options?: CallOptions): Promise<void>;
  /** On a primary: ends every client session with an open transaction and waits until they are gone; their PIDs. */
  terminateOpenTransactions(options?: CallOptions): Promise<number[]>;
  /** pg_promote(wait => true) within timeoutMs; 'already-primary' when not in recovery. */
  promote(options: { readonly timeoutMs: number }): Promise<PromoteOutcome>;
  /** The switch points recorded for `timeline` (empty for timeline 1). */
  timelineHistory(timeline: number, options?: CallOptions): Promise<TimelineSwitch[]>;
}

export interface ServerSnapshot {
  readonly positions: WalPositions;
  readonly settings: Map<string, string>;
  readonly receiver: WalReceiverStatus | null;
}

export interface PostgresClientOptions {
  readonly target: PgConnectionTarget;
  readonly clock: Clock;
  readonly log: Logger;
  readonly defaultTimeoutMs?: number;
}

// pg_promote() polls once per second; its own wait is rounded up to whole seconds, plus time to connect.
const PROMOTE_SLACK_MS = 2_000;

export function createPostgresClient(options: PostgresClientOptions): PostgresClient {
  const { target, clock } = options;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const run = <T>(what: string, call: QueryOptions | undefined, work: (session: PgSession) => Promise<T>): Promise<T> =>
    withConnection({ target, clock, what, timeoutMs: call?.timeoutMs ?? defaultTimeoutMs, statementTimeoutMs: call?.statementTimeoutMs }, work);

  return {
    target,
    query: (sql, params = [], call) =>
      run('query', call, async (session) => ({ rows: await session.query(sql, params), notices: session.notices })),
    checkHealth: (call) => checkHealth(target, clock, call?.timeoutMs ?? defaultTimeoutMs),
    walPositions: (call) => run('read WAL positions', call, readWalPositions),
    replication: (call) => run('read pg_stat_replication', call, readReplication),
    catchUp: async (applicationName, call) => catchUpStatus(await run('read pg_stat_replication', call, readReplication), applicationName),
    walReceiver: (call) => run('read pg_stat_wal_receiver', call, readWalReceiver),
    snapshot: (names, call) =>
      run('probe', call, async (session) => ({
        positions: await readWalPositions(session),
        settings: await readSettings(session, names),
        receiver: await readWalReceiver(session),
      })),
    settings: (names, call) => run('read settings', call, (session) => readSettings(session, names)),
    confFileProblems: (fileName, call) => run('read pg_file_settings', call, (session) => confFileProblems(session, fileName)),
    reload: (call) => run('reload configuration', call, requestReload),
    terminateOpenTransactions: (call) => {
      const timeoutMs = call?.timeoutMs ?? defaultTimeoutMs;
      // The server waits per backend; leave the connection budget room to report the outcome.
      return run('end open transactions', { timeoutMs }, (session) => terminateOpenTransactions(session, Math.max(1, timeoutMs - 500)));
    },
    promote: async ({ timeoutMs }) => {
      const waitSeconds = Math.max(1, Math.ceil(timeoutMs / 1_000));
      const outcome = await run('promote', { timeoutMs: waitSeconds * 1_000 + PROMOTE_SLACK_MS }, (session) => promoteServer(session, waitSeconds));
      options.log.info({ server: `${target.host}:${target.port}`, outcome }, 'pg_promote');
      return outcome;
    },
    timelineHistory: (timeline, call) =>
      run('read timeline history', call, async (session) => {
        if (timeline <= 1) return [];
        const path = `pg_wal/${timelineHistoryFileName(timeline)}`;
        const rows = await session.query<{ text: string | null }>('SELECT pg_read_file($1, 0, 1048576, true) AS text', [path]);
        return parseTimelineHistory(rows[0]?.text ?? '');
      }),
  };
}
