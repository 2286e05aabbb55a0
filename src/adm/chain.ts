// PURE: the replication chain as rows (primary → sync → asyncs, then deposed), each with its upstream's view of it and its lag.
import { applicationNameForPeer, type ReplicationRow } from '../pg/index.js';
import type { ActiveList } from '../coord/index.js';
import { lsnDistanceBytes, type ClusterState, type Peer, type PeerId } from '../schema/index.js';
import type { PgProbe } from './pg-probe.js';

export type ChainRole = 'primary' | 'sync' | 'async' | 'deposed';

export interface ChainRow {
  readonly role: ChainRole;
  readonly peer: Peer;
  /** The peer it must stream from (its predecessor in the chain); null for the primary and deposed peers. */
  readonly upstream: Peer | null;
  readonly registered: boolean;
  /** Undefined when the peer was not probed. */
  readonly probe: PgProbe | undefined;
  /** Its row in the upstream's pg_stat_replication; null when absent or the upstream could not be asked. */
  readonly replication: ReplicationRow | null;
  /** Whether the upstream answered, so that a missing replication row means "not streaming", not "unknown". */
  readonly upstreamAnswered: boolean;
  /** Bytes its replayed WAL is behind the primary's current position; null when unknown (or the primary itself). */
  readonly lagBytes: number | null;
}

/** The upstream's walsender for this standby: the streaming one when a reconnect briefly shows two. */
export function replicationRowFor(upstream: PgProbe | undefined, peer: Peer): ReplicationRow | null {
  if (upstream?.kind !== 'up') return null;
  const name = applicationNameForPeer(peer.id);
  const rows = upstream.replication.filter((row) => row.applicationName === name);
  return rows.find((row) => row.state === 'streaming') ?? rows[0] ?? null;
}

function lagOf(primary: PgProbe | undefined, probe: PgProbe | undefined, row: ReplicationRow | null): number | null {
  if (primary?.kind !== 'up' || primary.currentLsn === null) return null;
  const replayed = probe?.kind === 'up' ? (probe.replayLsn ?? row?.replayLsn ?? null) : (row?.replayLsn ?? null);
  return replayed === null ? null : Number(lsnDistanceBytes(primary.currentLsn, replayed));
}

export function chainRows(state: ClusterState, active: ActiveList, probes: ReadonlyMap<PeerId, PgProbe>): ChainRow[] {
  const registered = new Set(active.entries.map((entry) => entry.peer.id));
  const chain: Array<{ role: ChainRole; peer: Peer }> = [
    { role: 'primary', peer: state.primary },
    ...(state.sync === null ? [] : [{ role: 'sync' as const, peer: state.sync }]),
    ...state.async.map((peer) => ({ role: 'async' as const, peer })),
  ];
  const primaryProbe = probes.get(state.primary.id);
  const rows = chain.map(({ role, peer }, index): ChainRow => {
    const upstream = index === 0 ? null : (chain[index - 1]?.peer ?? null);
    const probe = probes.get(peer.id);
    const upstreamProbe = upstream === null ? undefined : probes.get(upstream.id);
    const replication = upstream === null ? null : replicationRowFor(upstreamProbe, peer);
    const lagBytes = role === 'primary' ? null : lagOf(primaryProbe, probe, replication);
    const upstreamAnswered = upstreamProbe?.kind === 'up';
    return { role, peer, upstream, registered: registered.has(peer.id), probe, replication, upstreamAnswered, lagBytes };
  });
  const deposed = state.deposed.map((peer): ChainRow => ({
    role: 'deposed', peer, upstream: null, registered: registered.has(peer.id), probe: probes.get(peer.id), replication: null, upstreamAnswered: false, lagBytes: null,
  }));
  return [...rows, ...deposed];
}
