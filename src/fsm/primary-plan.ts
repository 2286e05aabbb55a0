// What generation change, if any, the primary must make now: a promote request, or replacing a lost sync.
import type { ClusterState, Peer } from '../schema/index.js';
import { coordReady } from './coord-ops.js';
import type { Draft } from './draft.js';
import { promotePlan, type PromotePlan } from './promote.js';
import { isPresent, newcomers, presentAsyncs } from './roles.js';
import { waiting } from './sentences.js';
import type { Waiting } from './waiting.js';

export type PrimaryPlan = PromotePlan | { readonly kind: 'syncChange'; readonly lost: Peer };

export interface PlanResult {
  readonly plan: PrimaryPlan | null;
  /** Why a needed change cannot be made (sync lost but frozen, or nobody to replace it). */
  readonly blocked: Waiting | null;
}

const NOTHING: PlanResult = { plan: null, blocked: null };

/** Only a primary with a fresh, registered view decides on a new generation; otherwise it carries on as it is. */
export function primaryPlan(d: Draft, state: ClusterState): PlanResult {
  if (!coordReady(d) || d.state.gaveUp !== null || d.state.shutdown !== null) return NOTHING;
  if (state.oneNodeWriteMode === true) return NOTHING;
  const active = d.state.coord.active;
  const promote = promotePlan(state, active, d.nowMs);
  if (promote !== null) return { plan: promote, blocked: null };
  const sync = state.sync;
  if (sync === null || isPresent(active, sync.id)) return NOTHING;
  if (state.freeze !== undefined) {
    return { plan: null, blocked: { code: 'sync-gone-frozen', sentence: waiting.syncGoneFrozen(sync.id, state.freeze.reason) } };
  }
  if (presentAsyncs(state, active).length === 0) {
    // A newcomer is appended as an async first (same generation); the next decision makes it the sync.
    if (newcomers(state, active).length > 0) return NOTHING;
    return { plan: null, blocked: { code: 'sync-gone-no-async', sentence: waiting.syncGoneNoAsync(sync.id) } };
  }
  return { plan: { kind: 'syncChange', lost: sync }, blocked: null };
}
