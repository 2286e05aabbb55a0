// What generation change, if any, the primary must make now: a promote request, or replacing a lost sync.
import type { ClusterState, Peer } from '../schema/index.js';
import { coordReady } from './coord-ops.js';
import type { Draft } from './draft.js';
import { promotePlan, type PromotePlan } from './rules/promote-request.js';
import { syncReplacementVerdict } from './rules/sync-replacement.js';
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
  const replacement = syncReplacementVerdict(state, active);
  switch (replacement.kind) {
    case 'notNeeded':
    case 'appendFirst':
      return NOTHING;
    case 'blocked':
      return { plan: null, blocked: { code: replacement.code, sentence: replacement.why } };
    case 'replace':
      return { plan: { kind: 'syncChange', lost: replacement.lost }, blocked: null };
  }
}
