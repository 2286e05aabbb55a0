// Gathers what show, pg-status and verify report on: the cluster state, the election list and every peer's PostgreSQL.
import type { ActiveList, Coordinator, StateRead } from '../coord/index.js';
import type { ClusterState, Peer, PeerId } from '../schema/index.js';
import type { PgProbe } from './pg-probe.js';
import type { AdmContext } from './types.js';

export interface ShardSnapshot {
  readonly connectString: string;
  readonly shardPath: string;
  readonly read: StateRead;
  readonly active: ActiveList;
  /** One probe per peer named in the state (chain and deposed); empty when the state is not valid. */
  readonly probes: ReadonlyMap<PeerId, PgProbe>;
}

/** Every peer the state names, each once: primary, sync, asyncs, deposed. */
export function statePeers(state: ClusterState): Peer[] {
  const all = [state.primary, ...(state.sync === null ? [] : [state.sync]), ...state.async, ...state.deposed];
  const byId = new Map<PeerId, Peer>();
  for (const peer of all) if (!byId.has(peer.id)) byId.set(peer.id, peer);
  return [...byId.values()];
}

export async function gatherSnapshot(ctx: AdmContext, coordinator: Coordinator): Promise<ShardSnapshot> {
  const [read, active] = await Promise.all([coordinator.readState(), coordinator.activePeers()]);
  const peers = read.kind === 'valid' ? statePeers(read.state) : [];
  const probes = await Promise.all(peers.map(async (peer) => [peer.id, await ctx.deps.probe(peer, ctx.probeTimeoutMs)] as const));
  return { connectString: ctx.target.connectString, shardPath: ctx.target.shardPath, read, active, probes: new Map(probes) };
}
