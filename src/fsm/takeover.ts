// The sync's takeover: only when the primary's node is gone, an async is present, not frozen, PostgreSQL up and WAL ≥ initWal.
import { lsnAtLeast, type ClusterState } from '../schema/index.js';
import { coordIdle, coordReady, writeState } from './coord-ops.js';
import type { Draft } from './draft.js';
import { takeoverState } from './next-state.js';
import { pgIdle } from './pg-ops.js';
import { isPresent, presentAsyncs } from './roles.js';
import { decided } from './sentences.js';

export type TakeoverCheck =
  | { readonly kind: 'notNeeded' }
  | { readonly kind: 'blocked'; readonly code: string; readonly why: string }
  | { readonly kind: 'ready' };

const NOT_NEEDED: TakeoverCheck = { kind: 'notNeeded' };

function primaryGone(d: Draft, state: ClusterState): boolean {
  if (!isPresent(d.state.coord.active, state.primary.id)) return true;
  // Broken variant (c): treats a stalled WAL stream as a dead primary although its node is still there.
  return d.faults.takeoverWhilePrimaryPresent === true && d.state.pg.status?.streaming === false;
}

/** Whether the sync should take over now; a blocked takeover says why (log and status API). */
export function takeoverCheck(d: Draft, state: ClusterState): TakeoverCheck {
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
  if (d.faults.skipInitWalCheck !== true && !lsnAtLeast(status.replayLsn, state.initWal)) {
    return {
      kind: 'blocked',
      code: 'takeover-behind',
      why: `my replayed WAL ${status.replayLsn} is behind initWal ${state.initWal}`,
    };
  }
  return { kind: 'ready' };
}

/**
 * Writes G+1 once PostgreSQL is detached from the old primary (no more WAL can arrive, so the old primary
 * can no longer acknowledge anything) and a fresh probe confirms the WAL check; initWal becomes my flushed WAL.
 */
export function executeTakeover(d: Draft, state: ClusterState, version: number): void {
  const status = d.state.pg.status;
  if (!coordIdle(d) || !pgIdle(d) || status === null || !d.state.pg.statusFresh) return;
  if (!status.running || status.upstream !== null || status.dataRole !== 'standby') return;
  if (d.faults.skipInitWalCheck !== true && !lsnAtLeast(status.replayLsn, state.initWal)) return;
  const next = takeoverState(state, d.state.coord.active, status.walLsn);
  if (next === null) return;
  const sentence = decided.takeover(next, state.primary.id, status.replayLsn, state.initWal);
  writeState(d, { purpose: 'takeover', state: next, sentence }, version);
}
