// `dugong-adm peers`: every peer the state names or that is registered, with its role and whether it is registered.
import type { ActiveList } from '../coord/index.js';
import type { ClusterState } from '../schema/index.js';
import { withCoordinator } from './coordinator.js';
import { report } from './output.js';
import { statePeers } from './snapshot.js';
import { renderTable } from './table.js';
import { EXIT_FAILED, EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

export type PeerRole = 'primary' | 'sync' | 'async' | 'deposed' | 'unassigned';

export interface PeerListing {
  readonly role: PeerRole;
  readonly id: string;
  readonly zoneId: string;
  readonly ip: string;
  readonly pgUrl: string;
  readonly registered: boolean;
}

/** PURE: the role the state gives a peer id. */
export function roleOf(state: ClusterState, id: string): PeerRole {
  if (state.primary.id === id) return 'primary';
  if (state.sync?.id === id) return 'sync';
  if (state.async.some((peer) => peer.id === id)) return 'async';
  return state.deposed.some((peer) => peer.id === id) ? 'deposed' : 'unassigned';
}

/** PURE: the state's peers in chain order, then registered peers it does not name yet. */
export function listPeers(state: ClusterState, active: ActiveList): PeerListing[] {
  const registered = new Set(active.entries.map((entry) => entry.peer.id));
  const named = statePeers(state);
  const known = new Set(named.map((peer) => peer.id));
  const newcomers = active.entries.map((entry) => entry.peer).filter((peer) => !known.has(peer.id));
  return [...named, ...newcomers].map((peer) => ({
    role: roleOf(state, peer.id), id: peer.id, zoneId: peer.zoneId, ip: peer.ip, pgUrl: peer.pgUrl, registered: registered.has(peer.id),
  }));
}

export function formatPeers(peers: readonly PeerListing[]): string[] {
  return renderTable(['ROLE', 'PEER', 'ZONE', 'IP', 'REGISTERED'], peers.map((p) => [p.role, p.id, p.zoneId, p.ip, p.registered ? 'yes' : 'no']));
}

export async function peersVerb(ctx: AdmContext): Promise<ExitStatus> {
  const [read, active] = await withCoordinator(ctx, (coordinator) => Promise.all([coordinator.readState(), coordinator.activePeers()]));
  if (read.kind !== 'valid') {
    report(ctx, { state: read.kind, peers: [] }, () => [`no valid cluster state at ${ctx.target.shardPath}/state (${read.kind})`]);
    return EXIT_FAILED;
  }
  const peers = listPeers(read.state, active);
  report(ctx, { state: 'valid', generation: read.state.generation, peers }, () => formatPeers(peers));
  return EXIT_OK;
}
