// Rule 3: a primary whose sync is gone declares G+1 with the first present async as sync, unless frozen or nobody is there.
import type { ClusterState, Peer } from '../../schema/index.js';
import { isPresent, newcomers, presentAsyncs } from '../roles.js';
import { waiting } from '../sentences.js';
import type { ActiveEntry } from '../types.js';

export type SyncReplacementCode = 'sync-gone-frozen' | 'sync-gone-no-async';

export type SyncReplacementVerdict =
  | { readonly kind: 'notNeeded' }
  /** A newcomer is appended as an async first (same generation); the next decision makes it the sync. */
  | { readonly kind: 'appendFirst' }
  | { readonly kind: 'blocked'; readonly code: SyncReplacementCode; readonly why: string }
  | { readonly kind: 'replace'; readonly lost: Peer };

const NOT_NEEDED: SyncReplacementVerdict = { kind: 'notNeeded' };

/** Whether my sync must be replaced now; the caller (primary-plan.ts) has already checked that I may decide at all. */
export function syncReplacementVerdict(state: ClusterState, active: readonly ActiveEntry[]): SyncReplacementVerdict {
  const sync = state.sync;
  if (state.oneNodeWriteMode === true || sync === null || isPresent(active, sync.id)) return NOT_NEEDED;
  if (state.freeze !== undefined) {
    return { kind: 'blocked', code: 'sync-gone-frozen', why: waiting.syncGoneFrozen(sync.id, state.freeze.reason) };
  }
  if (presentAsyncs(state, active).length === 0) {
    if (newcomers(state, active).length > 0) return { kind: 'appendFirst' };
    return { kind: 'blocked', code: 'sync-gone-no-async', why: waiting.syncGoneNoAsync(sync.id) };
  }
  return { kind: 'replace', lost: sync };
}
