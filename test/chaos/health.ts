// What the shard looks like right now (every sitter's /state plus the primary's replication) and whether it is healthy.
import type { StatusSnapshot } from '../../src/http/status-snapshot.js';
import type { ClusterState } from '../../src/schema/index.js';
import { PG_PORT, peerStatus, type ChaosPeer } from './peers.js';
import { connect, queryWithin } from './workload.js';

export interface ShardView {
  readonly snapshots: ReadonlyMap<string, StatusSnapshot | undefined>;
  /** The cluster state of the highest generation any sitter reports. */
  readonly state: ClusterState | null;
  /** peer name -> role as that peer's sitter reports it ('down' when it does not answer). */
  readonly roles: Readonly<Record<string, string>>;
}

export interface Health {
  readonly primaryAndSync: boolean;
  readonly full: boolean;
  readonly why: string;
}

export async function observe(peers: readonly ChaosPeer[]): Promise<ShardView> {
  const snapshots = new Map(await Promise.all(peers.map(async (p) => [p.name, await peerStatus(p)] as const)));
  let state: ClusterState | null = null;
  for (const snapshot of snapshots.values()) {
    const candidate = snapshot?.clusterState ?? null;
    if (candidate !== null && (state === null || candidate.generation > state.generation)) state = candidate;
  }
  const roles = Object.fromEntries(peers.map((p) => [p.name, snapshots.get(p.name)?.role ?? 'down']));
  return { snapshots, state, roles };
}

export function peerById(peers: readonly ChaosPeer[], id: string | undefined): ChaosPeer | undefined {
  return peers.find((p) => p.id === id);
}

/** Whether `host` has a streaming standby (a synchronous one when `sync`) that has flushed all but `slackBytes`. */
async function streamsTo(host: string, sync: boolean, slackBytes = 1024 * 1024): Promise<boolean> {
  try {
    const client = await connect({ name: host, host, port: PG_PORT }, 1_000);
    try {
      const sql = `SELECT count(*)::int AS n FROM pg_stat_replication WHERE state = 'streaming'
        AND ($1::bool IS FALSE OR sync_state = 'sync') AND pg_wal_lsn_diff(sent_lsn, flush_lsn) < $2`;
      const result = await queryWithin<{ n: number }>(client, sql, [sync, slackBytes], 1_500);
      return (result.rows[0]?.n ?? 0) > 0;
    } finally {
      void client.end().catch(() => undefined);
    }
  } catch {
    return false;
  }
}

/** Primary + caught-up sync; full also wants the async streaming, no deposed peer and every sitter on the same generation. */
export async function assess(peers: readonly ChaosPeer[], view: ShardView): Promise<Health> {
  const state = view.state;
  if (state === null) return { primaryAndSync: false, full: false, why: 'no cluster state' };
  const primary = peerById(peers, state.primary.id);
  const sync = peerById(peers, state.sync?.id);
  const p = primary === undefined ? undefined : view.snapshots.get(primary.name);
  const s = sync === undefined ? undefined : view.snapshots.get(sync.name);
  if (primary === undefined || p?.role !== 'primary' || !p.pg.healthy || !p.pg.writable) return { primaryAndSync: false, full: false, why: 'no writable primary' };
  if (sync === undefined || s?.role !== 'sync' || !s.pg.healthy) return { primaryAndSync: false, full: false, why: 'no healthy sync' };
  if (!(await streamsTo(primary.ip, true))) return { primaryAndSync: false, full: false, why: 'the sync is not caught up' };
  const lagging = (): string | null => {
    if (state.deposed.length > 0) return `deposed: ${state.deposed.map((d) => d.zoneId).join(', ')}`;
    if (state.async.length !== peers.length - 2) return `${state.async.length} async(s)`;
    const behind = peers.find((peer) => view.snapshots.get(peer.name)?.generation !== state.generation);
    if (behind !== undefined) return `${behind.name} not on generation ${state.generation}`;
    const sick = state.async.map((a) => peerById(peers, a.id)).find((a) => a === undefined || view.snapshots.get(a.name)?.pg.healthy !== true);
    return sick === undefined ? null : `async ${sick.name} not healthy`;
  };
  const problem = lagging();
  if (problem !== null) return { primaryAndSync: true, full: false, why: problem };
  const asyncStreams = await streamsTo(sync.ip, false, 16 * 1024 * 1024);
  return { primaryAndSync: true, full: asyncStreams, why: asyncStreams ? 'healthy' : 'the async is not streaming' };
}
