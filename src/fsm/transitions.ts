// The role-change table: every way a sitter's own role can change, as data (tags decisions, drives tests and the diagram).
import type { Role } from './types.js';

export interface TransitionRow {
  /** Stable id, logged with the decision that applied the row. */
  readonly id: string;
  /** `any` only for the catch-all row: a state no single protocol step explains. */
  readonly from: Role | 'any';
  readonly to: Role | 'any';
  readonly trigger: string;
  readonly reason: string;
}

export const TRANSITIONS = [
  {
    id: 'T01-bootstrap-primary',
    from: 'none',
    to: 'primary',
    trigger: 'no cluster state, I registered first and a second peer is present',
    reason: 'the first registered peer creates generation 1 (create-if-absent) so that exactly one state is ever created',
  },
  {
    id: 'T02-bootstrap-singleton',
    from: 'none',
    to: 'primary',
    trigger: 'no cluster state, one-node-write mode is configured and I registered first',
    reason: 'singleton mode is explicit in config and state, never entered by accident',
  },
  {
    id: 'T03-bootstrap-sync',
    from: 'none',
    to: 'sync',
    trigger: 'the first registered peer wrote generation 1 naming me second',
    reason: 'vacancies are filled in registration order',
  },
  {
    id: 'T04-bootstrap-async',
    from: 'none',
    to: 'async',
    trigger: 'the first registered peer wrote generation 1 naming me after the sync',
    reason: 'vacancies are filled in registration order',
  },
  {
    id: 'T05-sync-takes-over',
    from: 'sync',
    to: 'primary',
    trigger: "the primary's election node is gone, an async is present, not frozen, my PostgreSQL is up, replayed WAL ≥ initWal",
    reason: 'the sync has every acknowledged write, so it can continue without losing any',
  },
  {
    id: 'T06-switchover-new-primary',
    from: 'sync',
    to: 'primary',
    trigger: 'the primary executed a promote request for me after I flushed all its WAL',
    reason: 'a planned switchover moves the primary role to the caught-up sync',
  },
  {
    id: 'T07-primary-deposed',
    from: 'primary',
    to: 'deposed',
    trigger: 'a newer generation names another primary and lists me as deposed',
    reason: 'my WAL may have diverged from the new primary: stop PostgreSQL and wait for a rebuild',
  },
  {
    id: 'T08-primary-hands-over',
    from: 'primary',
    to: 'deposed',
    trigger: 'a valid promote request for my sync, writes off and the sync has flushed all my WAL',
    reason: 'the old primary leaves the replication chain until it is rebuilt from the new primary',
  },
  {
    id: 'T09-async-to-sync-new-primary',
    from: 'async',
    to: 'sync',
    trigger: 'the sync became primary and I am the first present async',
    reason: 'the new primary needs a synchronous standby before it may accept writes',
  },
  {
    id: 'T10-async-to-sync-replacement',
    from: 'async',
    to: 'sync',
    trigger: 'the primary lost its sync and I am the first present async',
    reason: 'a primary without a sync cannot acknowledge writes',
  },
  {
    id: 'T11-async-promoted-to-sync',
    from: 'async',
    to: 'sync',
    trigger: 'an operator promote request named me (role async)',
    reason: 'planned change of the synchronous standby',
  },
  {
    id: 'T12-sync-demoted-to-async',
    from: 'sync',
    to: 'async',
    trigger: 'an operator promoted an async into my place',
    reason: 'the promoted async and I swap places in the chain',
  },
  {
    id: 'T13-joined-as-async',
    from: 'unassigned',
    to: 'async',
    trigger: 'the primary appended me to the async list',
    reason: 'registered peers that are not deposed join at the end, in registration order',
  },
  {
    id: 'T14-async-removed',
    from: 'async',
    to: 'unassigned',
    trigger: 'a state was written without me while my election node was gone',
    reason: 'absent asyncs are removed; I will be appended again now that I am registered',
  },
  {
    id: 'T15-sync-removed',
    from: 'sync',
    to: 'unassigned',
    trigger: 'the primary replaced me as sync while my election node was gone',
    reason: 'an absent sync is replaced by the first present async',
  },
  {
    id: 'T16-start-primary',
    from: 'none',
    to: 'primary',
    trigger: 'the first cluster state this process reads names me primary',
    reason: 'roles come from the state by peer id, so a restarted sitter keeps its role',
  },
  {
    id: 'T17-start-sync',
    from: 'none',
    to: 'sync',
    trigger: 'the first cluster state this process reads names me sync',
    reason: 'roles come from the state by peer id, so a restarted sitter keeps its role',
  },
  {
    id: 'T18-start-async',
    from: 'none',
    to: 'async',
    trigger: 'the first cluster state this process reads lists me as async',
    reason: 'roles come from the state by peer id, so a restarted sitter keeps its role',
  },
  {
    id: 'T19-start-unassigned',
    from: 'none',
    to: 'unassigned',
    trigger: 'the first cluster state this process reads does not name me',
    reason: 'I wait for the primary to append me as an async',
  },
  {
    id: 'T20-start-deposed',
    from: 'none',
    to: 'deposed',
    trigger: "the first cluster state this process reads lists me as deposed, or my data is a primary's it does not name",
    reason: 'a deposed peer stays deposed across restarts until it is rebuilt',
  },
  {
    id: 'T21-reassigned-unexplained',
    from: 'any',
    to: 'any',
    trigger: 'the state changed in a way no single protocol step explains (an operator edit, or generations I did not see)',
    reason: 'roles come from the state; I take the role it names and say so',
  },
  {
    id: 'T22-deposed-rebuilt',
    from: 'deposed',
    to: 'unassigned',
    trigger: 'my data was replaced with a copy of the primary and I took myself off the deposed list (same generation)',
    reason: 'a rebuilt peer holds only what the primary has, so it may join the chain again as an async',
  },
] as const satisfies readonly TransitionRow[];

export type TransitionId = (typeof TRANSITIONS)[number]['id'];

export const TRANSITION_IDS: readonly TransitionId[] = TRANSITIONS.map((row) => row.id);

export function transitionRow(id: TransitionId): TransitionRow {
  const row = TRANSITIONS.find((candidate) => candidate.id === id);
  if (row === undefined) throw new RangeError(`unknown transition ${id}`);
  return row;
}
