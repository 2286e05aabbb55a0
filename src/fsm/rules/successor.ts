// Rule 4 (docs/protocol.md) as the primary predicts it: could my sync take over if my election node were gone now?
import type { ClusterState } from '../../schema/index.js';
import { isPresent, presentAsyncs } from '../roles.js';
import type { ActiveEntry, CaughtUp } from '../types.js';

export type SuccessorCode =
  | 'successor-singleton'
  | 'successor-no-sync'
  | 'successor-frozen'
  | 'successor-sync-absent'
  | 'successor-no-async'
  | 'successor-sync-behind';

export type SuccessorVerdict =
  | { readonly kind: 'could' }
  | { readonly kind: 'couldNot'; readonly code: SuccessorCode; readonly why: string };

/**
 * What the caller knows of the sync's WAL: the primary's own record of seeing it caught up (null: never in this
 * generation), or 'not-checked' when the caller makes sure of the flush itself (a handover) or cannot know (dugong-adm).
 */
export type SuccessorWal = CaughtUp | null | 'not-checked';

const COULD: SuccessorVerdict = { kind: 'could' };

function couldNot(code: SuccessorCode, why: string): SuccessorVerdict {
  return { kind: 'couldNot', code, why };
}

/**
 * The sync takes over only if an async is present, the shard is not frozen and its WAL ≥ initWal (rule 4). The
 * primary cannot see its sync's PostgreSQL, but a sync seen caught up in this generation holds all WAL ≥ initWal.
 */
export function successorCouldTakeOver(state: ClusterState, active: readonly ActiveEntry[], wal: SuccessorWal): SuccessorVerdict {
  if (state.oneNodeWriteMode === true) return couldNot('successor-singleton', 'one-node-write mode has no sync to take over');
  const sync = state.sync;
  if (sync === null) return couldNot('successor-no-sync', 'I have no sync');
  if (state.freeze !== undefined) {
    return couldNot('successor-frozen', `the cluster is frozen (${state.freeze.reason}), so my sync could not take over`);
  }
  if (!isPresent(active, sync.id)) return couldNot('successor-sync-absent', `my sync ${sync.id} is not registered`);
  if (presentAsyncs(state, active).length === 0) {
    return couldNot('successor-no-async', 'no async is present, so my sync could not take over');
  }
  if (wal !== 'not-checked' && (wal?.generation !== state.generation || wal.syncId !== sync.id)) {
    return couldNot('successor-sync-behind', 'my sync has not caught up in this generation, so it could not take over');
  }
  return COULD;
}
