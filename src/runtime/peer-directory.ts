// Maps what PostgreSQL reports (application names, upstream host:port) back to peer ids, and peers to connection targets.
import { applicationNameForPeer } from '../pg/index.js';
import type { PgConnectionTarget } from '../pg/index.js';
import { DugongError } from '../errors.js';
import type { Peer, PeerId } from '../schema/index.js';

/** "tcp://postgres@10.0.0.1:5432/postgres" → a connection target. */
export function pgTargetOf(peer: Peer): PgConnectionTarget {
  const match = /^tcp:\/\/([^@]+)@([^:/]+):(\d+)\/(.*)$/.exec(peer.pgUrl);
  if (match === null) throw new DugongError('DUGONG_ERR_STATE_INVALID', `peer ${peer.id} has an unusable pgUrl ${peer.pgUrl}`);
  const [, user = 'postgres', host = '', port = '0', database = 'postgres'] = match;
  return { host, port: Number(port), user, database: database === '' ? 'postgres' : database };
}

export class PeerDirectory {
  private readonly byAppName = new Map<string, PeerId>();
  private readonly byHostPort = new Map<string, PeerId>();

  /** Remembers peers as they are seen in cluster states and the election list. */
  learn(peers: Iterable<Peer>): void {
    for (const peer of peers) {
      this.byAppName.set(applicationNameForPeer(peer.id), peer.id);
      const target = pgTargetOf(peer);
      this.byHostPort.set(`${target.host}:${target.port}`, peer.id);
    }
  }

  peerForApplicationName(applicationName: string): PeerId | null {
    return this.byAppName.get(applicationName) ?? null;
  }

  peerForHostPort(host: string, port: number): PeerId | null {
    return this.byHostPort.get(`${host}:${port}`) ?? null;
  }
}

/** synchronous_standby_names as shown by PostgreSQL ("\"10_0_0_1_5432_10002\"" or "") → the application name. */
export function syncNameFromSetting(shown: string | undefined): string | null {
  if (shown === undefined || shown.trim() === '') return null;
  return shown.trim().replace(/^"(.*)"$/, '$1');
}

/** primary_conninfo as shown → host and port, or null when it names no upstream. */
export function upstreamFromConninfo(shown: string | undefined): { host: string; port: number } | null {
  if (shown === undefined || shown.trim() === '') return null;
  const host = /(?:^|\s)host='?([^'\s]+)'?/.exec(shown)?.[1];
  const port = /(?:^|\s)port='?(\d+)'?/.exec(shown)?.[1];
  if (host === undefined) return null;
  return { host, port: port === undefined ? 5432 : Number(port) };
}
