// PURE: what became of a written promote request, judged from the current state.
import type { StateRead } from '../coord/index.js';
import type { ClusterState, PromoteRequest } from '../schema/index.js';

export type PromoteOutcome =
  | { readonly kind: 'pending' }
  | { readonly kind: 'done'; readonly state: ClusterState }
  | { readonly kind: 'failed'; readonly reason: string; readonly state: ClusterState | null };

function sameRequest(a: PromoteRequest | undefined, b: PromoteRequest): boolean {
  return a !== undefined && a.id === b.id && a.role === b.role && a.asyncIndex === b.asyncIndex && a.generation === b.generation && a.expireTime === b.expireTime;
}

/** Whether the new generation gave the target the role asked for. */
function carriedOut(state: ClusterState, request: PromoteRequest): boolean {
  return request.role === 'sync' ? state.primary.id === request.id : state.sync?.id === request.id;
}

export function promoteOutcome(read: StateRead, request: PromoteRequest, nowMs: number): PromoteOutcome {
  if (read.kind !== 'valid') return { kind: 'failed', reason: `the cluster state became ${read.kind}`, state: null };
  const { state } = read;
  if (state.generation > request.generation) {
    if (carriedOut(state, request)) return { kind: 'done', state };
    const role = request.role === 'sync' ? 'primary' : 'sync';
    return { kind: 'failed', reason: `generation ${state.generation} was written, but it does not make ${request.id} the ${role} (a failover came first?)`, state };
  }
  if (!sameRequest(state.promote, request)) {
    return { kind: 'failed', reason: 'the request was removed or replaced before a sitter acted on it (clear-promote, another promote, or the async list changed under it)', state };
  }
  if (Date.parse(request.expireTime) <= nowMs) {
    return { kind: 'failed', reason: `the request expired at ${request.expireTime} and the primary did not act on it`, state };
  }
  return { kind: 'pending' };
}
