// Validating an operator's promote request against the current generation, its expiry, freeze and presence.
import type { ClusterState, Peer } from '../schema/index.js';
import { isPresent, presentAsyncs } from './roles.js';
import { isoToEpochMs } from './time.js';
import type { ActiveEntry } from './types.js';

export type PromotePlan =
  /** Planned switchover: the primary hands its role to the sync. */
  | { readonly kind: 'switchover'; readonly target: Peer }
  /** async[index] becomes the sync; the sync takes its place. */
  | { readonly kind: 'promoteAsync'; readonly target: Peer; readonly index: number };

/** The plan a promote request asks the primary to execute now, or null when there is none or it does not apply. */
export function promotePlan(state: ClusterState, active: readonly ActiveEntry[], nowMs: number): PromotePlan | null {
  const request = state.promote;
  if (request === undefined || request.generation !== state.generation || state.freeze !== undefined) return null;
  const expiresAtMs = isoToEpochMs(request.expireTime);
  if (expiresAtMs === null || expiresAtMs <= nowMs) return null;
  if (request.role === 'sync') {
    const target = state.sync;
    if (target?.id !== request.id || !isPresent(active, target.id)) return null;
    // The new primary needs a sync of its own: a switchover needs a present async.
    return presentAsyncs(state, active).length > 0 ? { kind: 'switchover', target } : null;
  }
  const index = request.asyncIndex ?? -1;
  const target = state.async[index];
  if (target?.id !== request.id || !isPresent(active, target.id)) return null;
  return { kind: 'promoteAsync', target, index };
}
