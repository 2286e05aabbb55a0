// Rule 6: a primary accepts writes only once the sync of this generation has flushed all its WAL since PostgreSQL last started.
import type { ClusterState } from '../../schema/index.js';
import type { Draft } from '../draft.js';
import type { PrimaryPlan } from '../primary-plan.js';

export type WritesCode = 'writes-plan' | 'writes-shutdown' | 'writes-gave-up' | 'writes-generation-change' | 'writes-sync-behind';

export type WritesVerdict = { readonly kind: 'on' } | { readonly kind: 'off'; readonly code: WritesCode; readonly why: string };

const ON: WritesVerdict = { kind: 'on' };

function off(code: WritesCode, why: string): WritesVerdict {
  return { kind: 'off', code, why };
}

/** The gate itself: the sync of this generation was seen caught up (sent = flushed) since PostgreSQL last started. */
export function syncSeenCaughtUp(d: Draft, state: ClusterState): boolean {
  const caughtUp = d.state.pg.caughtUp;
  return (
    caughtUp !== null &&
    caughtUp.generation === state.generation &&
    caughtUp.syncId === state.sync?.id &&
    caughtUp.pgStarts === d.state.pg.pgStarts
  );
}

/**
 * A new generation I am writing, or wrote without learning the outcome: its initWal was read with writes
 * off, so they stay off until it is settled.
 */
export function generationChangeInFlight(d: Draft): boolean {
  const pending = d.state.pending.coord;
  return d.state.writeInDoubt !== null || (pending?.op === 'write' && pending.purpose !== 'asyncList');
}

/** Whether my PostgreSQL should accept writes now, and if not, why. */
export function writesVerdict(d: Draft, state: ClusterState, plan: PrimaryPlan | null): WritesVerdict {
  if (plan !== null) return off('writes-plan', `I am about to declare generation ${state.generation + 1}`);
  if (d.state.shutdown !== null) return off('writes-shutdown', 'I am shutting down');
  if (d.state.gaveUp !== null) return off('writes-gave-up', 'I gave up my registration');
  if (generationChangeInFlight(d)) return off('writes-generation-change', 'a new generation I wrote is not settled yet');
  if (state.oneNodeWriteMode === true || syncSeenCaughtUp(d, state)) return ON;
  return off('writes-sync-behind', `my sync ${state.sync?.id ?? 'nobody'} has not flushed all my WAL since my PostgreSQL last started`);
}
