// Reading roles, presence and the replication chain out of a cluster state and the active list.
import type { ClusterState, Peer, PeerId } from '../schema/index.js';
import type { ActiveEntry, PgStatus, Role } from './types.js';

/** The role a cluster state gives a peer id (roles come from the state, never from list order). */
export function roleIn(state: ClusterState, id: PeerId): Exclude<Role, 'none'> {
  if (state.primary.id === id) return 'primary';
  if (state.sync?.id === id) return 'sync';
  if (state.async.some((peer) => peer.id === id)) return 'async';
  if (state.deposed.some((peer) => peer.id === id)) return 'deposed';
  return 'unassigned';
}

/**
 * My effective role: as the state says, except that data which is a primary's while the state names
 * someone else as primary may have diverged, so such a peer acts deposed whatever the lists say.
 */
export function effectiveRole(state: ClusterState, selfId: PeerId, pg: PgStatus | null): Exclude<Role, 'none'> {
  const role = roleIn(state, selfId);
  if (role !== 'primary' && role !== 'deposed' && pg?.dataRole === 'primary') return 'deposed';
  return role;
}

/** One entry per peer id, keeping the highest sequence (a restarted sitter registers before its old node expires). */
export function dedupeActive(entries: readonly ActiveEntry[]): ActiveEntry[] {
  const byId = new Map<PeerId, ActiveEntry>();
  for (const entry of entries) {
    const known = byId.get(entry.peer.id);
    if (known === undefined || known.seq < entry.seq) byId.set(entry.peer.id, entry);
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export function isPresent(active: readonly ActiveEntry[], id: PeerId): boolean {
  return active.some((entry) => entry.peer.id === id);
}

/** primary → sync → async[0] → async[1] → … */
export function chainOf(state: ClusterState): Peer[] {
  return [state.primary, ...(state.sync === null ? [] : [state.sync]), ...state.async];
}

/** The peer a standby streams from: its predecessor in the chain. */
export function upstreamOf(state: ClusterState, id: PeerId): Peer | null {
  const chain = chainOf(state);
  const index = chain.findIndex((peer) => peer.id === id);
  return index > 0 ? (chain[index - 1] ?? null) : null;
}

export function inState(state: ClusterState, id: PeerId): boolean {
  return roleIn(state, id) !== 'unassigned';
}

/** Registered peers the state does not know yet (deposed ones excluded), in registration order. */
export function newcomers(state: ClusterState, active: readonly ActiveEntry[]): Peer[] {
  return active.filter((entry) => !inState(state, entry.peer.id)).map((entry) => entry.peer);
}

export function presentAsyncs(state: ClusterState, active: readonly ActiveEntry[]): Peer[] {
  return state.async.filter((peer) => isPresent(active, peer.id));
}

export function samePeerIds(a: readonly Peer[], b: readonly Peer[]): boolean {
  return a.length === b.length && a.every((peer, index) => peer.id === b[index]?.id);
}
