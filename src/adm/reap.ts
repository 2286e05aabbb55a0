// `dugong-adm reap`: removes deposed peers that are no longer registered from the state's deposed list.
import type { ActiveList } from '../coord/index.js';
import type { ClusterState } from '../schema/index.js';
import { withCoordinator } from './coordinator.js';
import { changeState, type Change } from './mutate.js';
import { report } from './output.js';
import { EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

/** PURE. A deposed peer that is still registered keeps its place: its sitter is running and holds diverged data. */
export function reapChange(state: ClusterState, active: ActiveList): Change {
  const registered = new Set(active.entries.map((entry) => entry.peer.id));
  const keep = state.deposed.filter((peer) => registered.has(peer.id));
  if (keep.length === state.deposed.length) {
    const message = state.deposed.length === 0 ? 'no deposed peers: nothing to reap' : `nothing to reap: every deposed peer is still registered (${keep.map((p) => p.id).join(', ')})`;
    return { kind: 'unchanged', message };
  }
  return { kind: 'write', next: { ...state, deposed: keep } };
}

export async function reapVerb(ctx: AdmContext): Promise<ExitStatus> {
  const result = await withCoordinator(ctx, (coordinator) => changeState(coordinator, ctx.target.shardPath, reapChange));
  if (result.kind === 'unchanged') {
    report(ctx, { reaped: [], kept: result.state.deposed.map((p) => p.id) }, () => [result.message]);
    return EXIT_OK;
  }
  const kept = new Set(result.after.deposed.map((peer) => peer.id));
  const reaped = result.before.deposed.filter((peer) => !kept.has(peer.id)).map((peer) => peer.id);
  report(ctx, { reaped, kept: [...kept] }, () => reaped.map((id) => `reaped ${id}`));
  return EXIT_OK;
}
