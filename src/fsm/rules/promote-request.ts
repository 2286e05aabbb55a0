// Rule 8: an operator's promote request applies only to the current generation, before its expiry, unfrozen, target present.
import type { ClusterState, Peer } from '../../schema/index.js';
import { isPresent } from '../roles.js';
import { isoToEpochMs } from '../time.js';
import type { ActiveEntry } from '../types.js';
import { successorCouldTakeOver, type SuccessorCode } from './successor.js';

export type PromotePlan =
  /** Planned switchover: the primary hands its role to the sync. */
  | { readonly kind: 'switchover'; readonly target: Peer }
  /** async[index] becomes the sync; the sync takes its place. */
  | { readonly kind: 'promoteAsync'; readonly target: Peer; readonly index: number };

export type PromoteCode =
  | 'promote-stale'
  | 'promote-frozen'
  | 'promote-expired'
  | 'promote-not-sync'
  | 'promote-not-that-async'
  | 'promote-target-absent'
  /** A switchover whose new primary could not have a sync of its own (rules/successor.ts). */
  | SuccessorCode;

export type PromoteVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'ignored'; readonly code: PromoteCode; readonly why: string }
  | { readonly kind: 'execute'; readonly plan: PromotePlan };

const NONE: PromoteVerdict = { kind: 'none' };

function ignored(code: PromoteCode, why: string): PromoteVerdict {
  return { kind: 'ignored', code, why };
}

/** The primary executes a request only when this says so; dugong-adm asks the same before it writes one. */
export function promoteRequestVerdict(state: ClusterState, active: readonly ActiveEntry[], nowMs: number): PromoteVerdict {
  const request = state.promote;
  if (request === undefined) return NONE;
  if (request.generation !== state.generation) {
    return ignored('promote-stale', `the request is for generation ${request.generation}, the state is at ${state.generation}`);
  }
  if (state.freeze !== undefined) return ignored('promote-frozen', `the shard is frozen (${state.freeze.reason})`);
  const expiresAtMs = isoToEpochMs(request.expireTime);
  if (expiresAtMs === null || expiresAtMs <= nowMs) return ignored('promote-expired', `the request expired at ${request.expireTime}`);
  return request.role === 'sync' ? switchoverVerdict(state, active, request.id) : promoteAsyncVerdict(state, active, request.id, request.asyncIndex ?? -1);
}

function switchoverVerdict(state: ClusterState, active: readonly ActiveEntry[], id: string): PromoteVerdict {
  const target = state.sync;
  if (target?.id !== id) return ignored('promote-not-sync', `${id} is not the sync`);
  if (!isPresent(active, target.id)) return ignored('promote-target-absent', `${target.id} is not registered`);
  // The new primary needs a sync of its own: exactly what a takeover by the sync would need.
  const successor = successorCouldTakeOver(state, active, 'not-checked');
  return successor.kind === 'could' ? { kind: 'execute', plan: { kind: 'switchover', target } } : ignored(successor.code, successor.why);
}

function promoteAsyncVerdict(state: ClusterState, active: readonly ActiveEntry[], id: string, index: number): PromoteVerdict {
  const target = state.async[index];
  if (target?.id !== id) return ignored('promote-not-that-async', `async ${index} is not ${id}`);
  if (!isPresent(active, target.id)) return ignored('promote-target-absent', `${target.id} is not registered`);
  return { kind: 'execute', plan: { kind: 'promoteAsync', target, index } };
}

/** The plan a promote request asks the primary to execute now, or null when there is none or it does not apply. */
export function promotePlan(state: ClusterState, active: readonly ActiveEntry[], nowMs: number): PromotePlan | null {
  const verdict = promoteRequestVerdict(state, active, nowMs);
  return verdict.kind === 'execute' ? verdict.plan : null;
}
