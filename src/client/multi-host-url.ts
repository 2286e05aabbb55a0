// PURE: one libpq URL naming every peer, so a driver finds the writable primary itself (target_session_attrs=read-write).
import { DugongError } from '../errors.js';
import { parsePgUrl } from './pg-url.js';

export interface MultiHostUrlOptions {
  readonly database: string;
  readonly user: string;
  /** More URL parameters (connect_timeout, sslmode, application_name, ...). target_session_attrs is always read-write. */
  readonly params?: Readonly<Record<string, string | number>>;
}

/**
 * ["tcp://postgres@10.0.0.1:5432/postgres", "tcp://postgres@10.0.0.2:5432/postgres"] →
 * "postgresql://app@10.0.0.1:5432,10.0.0.2:5432/appdb?target_session_attrs=read-write".
 * Hosts keep the topology's order (primary first), so the first try is usually the right one.
 */
export function multiHostUrl(urls: readonly string[], options: MultiHostUrlOptions): string {
  if (urls.length === 0) throw new DugongError('DUGONG_ERR_USAGE', 'multiHostUrl needs at least one PostgreSQL URL (the topology is empty)');
  if (options.user === '' || options.database === '') throw new DugongError('DUGONG_ERR_USAGE', 'multiHostUrl needs a user and a database');
  const hosts = urls.map((url) => {
    const { host, port } = parsePgUrl(url);
    return `${host}:${port}`;
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options.params ?? {})) {
    if (key !== 'target_session_attrs') query.set(key, String(value));
  }
  query.set('target_session_attrs', 'read-write');
  const user = encodeURIComponent(options.user);
  return `postgresql://${user}@${[...new Set(hosts)].join(',')}/${encodeURIComponent(options.database)}?${query.toString()}`;
}
