// Asks one peer's PostgreSQL, directly at its pgUrl and under a short budget, where its WAL is and whom it replicates to.
import { errorMessage } from '../errors.js';
import { silentLogger } from '../log.js';
import { createPostgresClient, type ReplicationRow, type WalReceiverStatus } from '../pg/index.js';
import type { Clock } from '../platform/clock.js';
import { pgTargetOf } from '../runtime/peer-directory.js';
import type { Lsn, Peer } from '../schema/index.js';

export interface PgUp {
  readonly kind: 'up';
  readonly inRecovery: boolean;
  /** pg_current_wal_lsn(): null in recovery. */
  readonly currentLsn: Lsn | null;
  readonly receiveLsn: Lsn | null;
  readonly replayLsn: Lsn | null;
  /** default_transaction_read_only = on: the sitter keeps a primary read-only until its sync caught up. */
  readonly readOnly: boolean;
  /** synchronous_standby_names as the server shows it ('' = commits wait for nobody). */
  readonly syncStandbyNames: string;
  /** pg_stat_replication: the standbys streaming from this server. */
  readonly replication: readonly ReplicationRow[];
  /** pg_stat_wal_receiver: where this standby streams from; null on a primary or between attempts. */
  readonly receiver: WalReceiverStatus | null;
}

export type PgProbe = PgUp | { readonly kind: 'down'; readonly error: string };

const SETTINGS = ['default_transaction_read_only', 'synchronous_standby_names'] as const;

export async function probePeerPg(peer: Peer, clock: Clock, timeoutMs: number): Promise<PgProbe> {
  try {
    const client = createPostgresClient({ target: pgTargetOf(peer), clock, log: silentLogger(), defaultTimeoutMs: timeoutMs });
    // Four short connections in parallel rather than one long one: each call keeps its own deadline.
    const [wal, replication, receiver, settings] = await Promise.all([
      client.walPositions(),
      client.replication(),
      client.walReceiver(),
      client.settings(SETTINGS),
    ]);
    return {
      kind: 'up',
      inRecovery: wal.inRecovery,
      currentLsn: wal.current,
      receiveLsn: wal.received,
      replayLsn: wal.replayed,
      readOnly: settings.get('default_transaction_read_only') === 'on',
      syncStandbyNames: settings.get('synchronous_standby_names') ?? '',
      replication,
      receiver,
    };
  } catch (error) {
    return { kind: 'down', error: errorMessage(error) };
  }
}
