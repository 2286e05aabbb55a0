// Rule 4: the sync takes over only when the primary's node is gone, an async is present, not frozen, PostgreSQL up, WAL ≥ initWal.
import { lsnAtLeast, type ClusterState } from '../../schema/index.js';
import { coordReady } from '../coord-ops.js';
import type { Draft } from '../draft.js';
import { isPresent, presentAsyncs } from '../roles.js';

export type TakeoverCode = 'takeover-singleton' | 'takeover-frozen' | 'takeover-no-async' | 'takeover-pg-down' | 'takeover-behind';

export type TakeoverCheck =
  | { readonly kind: 'notNeeded' }
  | { readonly kind: 'blocked'; readonly code: TakeoverCode; readonly why: string }
  | { readonly kind: 'ready' };

const NOT_NEEDED: TakeoverCheck = { kind: 'notNeeded' };

function primaryGone(d: Draft, state: ClusterState): boolean {
  if (!isPresent(d.state.coord.active, state.primary.id)) return true;
  // Broken variant (c): treats a stalled WAL stream as a dead primary although its node is still there.
  return d.faults.takeoverWhilePrimaryPresent === true && d.state.pg.status?.streaming === false;
}

/** Whether the sync should take over now; a blocked takeover says why (log and status API). */
export function mayTakeOver(d: Draft, state: ClusterState): TakeoverCheck {
  if (!coordReady(d) || !primaryGone(d, state)) return NOT_NEEDED;
  if (state.oneNodeWriteMode === true) return { kind: 'blocked', code: 'takeover-singleton', why: 'the shard is in one-node-write mode' };
  if (state.freeze !== undefined) {
    return { kind: 'blocked', code: 'takeover-frozen', why: `the cluster is frozen (${state.freeze.reason})` };
  }
  if (presentAsyncs(state, d.state.coord.active).length === 0) {
    return { kind: 'blocked', code: 'takeover-no-async', why: 'no async is present to become my sync (a two-peer shard does not fail over)' };
  }
  const status = d.state.pg.status;
  if (status === null || !status.running) return { kind: 'blocked', code: 'takeover-pg-down', why: 'my PostgreSQL is not running' };
  if (!walCheckPasses(d, state)) {
    return { kind: 'blocked', code: 'takeover-behind', why: `my replayed WAL ${status.replayLsn} is behind initWal ${state.initWal}` };
  }
  return { kind: 'ready' };
}

/** The last guard, repeated on the fresh probe just before the write: my replayed WAL ≥ the generation's initWal. */
export function walCheckPasses(d: Draft, state: ClusterState): boolean {
  const status = d.state.pg.status;
  if (status === null) return false;
  // Broken variant (a): skips the check.
  return d.faults.skipInitWalCheck === true || lsnAtLeast(status.replayLsn, state.initWal);
}
