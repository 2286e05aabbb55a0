// Applies the role the cluster state gives me; a change is logged once, tagged with the transitions-table row.
import type { ClusterState } from '../schema/index.js';
import { explainRoleChange } from './classify.js';
import { logInfo, patch, type Draft } from './draft.js';
import { upstreamOf } from './roles.js';
import { cancelTimer } from './timers.js';
import type { Role, RoleCause } from './types.js';

/**
 * The cause of a role change when it is my own write: its result, or the write still in flight (the watch
 * can report the new state before the write's own answer arrives).
 */
function ownCause(d: Draft, state: ClusterState): RoleCause | null {
  if (d.state.roleCause?.generation === state.generation) return d.state.roleCause;
  const pending = d.state.pending.coord;
  if (pending?.op !== 'write' || pending.state.generation !== state.generation) return null;
  if (pending.state.primary.id !== state.primary.id) return null;
  return { purpose: pending.purpose, generation: pending.state.generation, sentence: pending.sentence };
}

export function applyRole(d: Draft, role: Exclude<Role, 'none'>, state: ClusterState): void {
  const from = d.state.role;
  if (from !== role) {
    const cause = ownCause(d, state);
    const upstream = role === 'sync' || role === 'async' ? upstreamOf(state, d.state.self.id) : null;
    const facts = { from, to: role, prev: d.state.roleBasis, next: state, upstream };
    const explained = explainRoleChange({
      ...facts,
      selfId: d.state.self.id,
      cause: cause?.purpose ?? null,
      sawBootstrap: d.state.coord.sawAbsent,
    });
    logInfo(d, cause?.sentence ?? explained.sentence(facts), explained.transition);
    if (role !== 'primary' && d.state.gaveUp !== null) {
      patch(d, { gaveUp: null });
      cancelTimer(d, 'giveUpRetry');
    }
  }
  patch(d, { role, roleBasis: state, roleCause: null, deposed: role === 'deposed' });
}
