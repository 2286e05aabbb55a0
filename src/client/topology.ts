// PURE: the topology a client follows: the PostgreSQL URLs of [primary, sync, ...asyncs] in the cluster state.
import type { ClusterState } from '../schema/index.js';

/** Deposed peers are left out: their data may have diverged and they do not serve. */
export function topologyOf(state: ClusterState): string[] {
  return [state.primary, ...(state.sync === null ? [] : [state.sync]), ...state.async].map((peer) => peer.pgUrl);
}

export function sameTopology(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((url, index) => url === b[index]);
}
