// pg_stat_wal_receiver: which upstream a standby is streaming from, on which timeline.
import type { Lsn } from '../schema/lsn.js';
import type { PgSession } from './connection.js';
import { lsnOrNull } from './lsn-values.js';

export interface WalReceiverStatus {
  readonly pid: number;
  /** streaming, starting, waiting, restarting, stopping, stopped. */
  readonly status: string;
  readonly senderHost: string | null;
  readonly senderPort: number | null;
  readonly receivedTimeline: number;
  readonly flushedLsn: Lsn | null;
  /** The connection string in use, passwords obfuscated by the server. */
  readonly conninfo: string | null;
}

interface ReceiverRow {
  pid: number;
  status: string;
  sender_host: string | null;
  sender_port: number | null;
  received_tli: number;
  flushed_lsn: string | null;
  conninfo: string | null;
}

const WAL_RECEIVER_SQL = `
SELECT pid, status, sender_host, sender_port, received_tli, flushed_lsn::text AS flushed_lsn, conninfo
  FROM pg_stat_wal_receiver`;

/** Null when no walreceiver runs (a primary, or a standby between connection attempts). */
export async function readWalReceiver(session: PgSession): Promise<WalReceiverStatus | null> {
  const [row] = await session.query<ReceiverRow>(WAL_RECEIVER_SQL);
  if (row === undefined || row.pid === null) return null;
  return {
    pid: row.pid,
    status: row.status,
    senderHost: row.sender_host,
    senderPort: row.sender_port,
    receivedTimeline: row.received_tli,
    flushedLsn: lsnOrNull(row.flushed_lsn, 'flushed_lsn'),
    conninfo: row.conninfo,
  };
}
