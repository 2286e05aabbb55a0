// PURE: the parts of a peer's PostgreSQL URL as the cluster state stores it ("tcp://user@host:port/database").
import { DugongError } from '../errors.js';

export interface PgUrlParts {
  readonly user: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

// Manatee's form is tcp://; postgres:// and postgresql:// are accepted too. IPv6 hosts come in brackets.
const PG_URL = /^(?:tcp|postgres|postgresql):\/\/(?:([^@/\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^:/\s@]+):(\d{1,5})(?:\/([^?\s]*))?$/;

export function parsePgUrl(url: string): PgUrlParts {
  const match = PG_URL.exec(url);
  const port = Number(match?.[3]);
  if (match === null || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DugongError('DUGONG_ERR_USAGE', `not a PostgreSQL URL like "tcp://postgres@10.0.0.1:5432/postgres": ${JSON.stringify(url)}`, { url });
  }
  const [, user = 'postgres', host = '', , database = ''] = match;
  return { user: decodeURIComponent(user), host, port, database: decodeURIComponent(database) || 'postgres' };
}
