// Rule 13: a primary whose PostgreSQL cannot serve gives up its election node only when that brings a takeover (docs/protocol.md).
import type { ClusterState } from '../../schema/index.js';
import { coordReady } from '../coord-ops.js';
import type { Draft } from '../draft.js';
import { successorCouldTakeOver, type SuccessorCode } from './successor.js';

export type GiveUpCode = 'give-up-no-coordination' | SuccessorCode;

export type GiveUpVerdict =
  | { readonly kind: 'may' }
  | { readonly kind: 'mayNot'; readonly code: GiveUpCode; readonly why: string };

const MAY: GiveUpVerdict = { kind: 'may' };

/**
 * Giving up is worth it only if my sync could take over at once; otherwise the primary keeps trying to serve,
 * because leaving would only turn a degraded primary into no primary at all.
 */
export function mayGiveUp(d: Draft, state: ClusterState): GiveUpVerdict {
  if (!coordReady(d)) {
    return { kind: 'mayNot', code: 'give-up-no-coordination', why: 'I cannot reach the coordination service to leave the election' };
  }
  const successor = successorCouldTakeOver(state, d.state.coord.active, d.state.pg.caughtUp);
  return successor.kind === 'could' ? MAY : { kind: 'mayNot', code: successor.code, why: successor.why };
}
