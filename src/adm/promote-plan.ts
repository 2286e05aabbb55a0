// PURE: checks an operator's promote request with the sitters' own rule (src/fsm/rules/promote-request.ts), before writing it.
import type { ActiveList } from '../coord/index.js';
import { promoteRequestVerdict, type PromoteCode } from '../fsm/index.js';
import { lsnDistanceBytes, type ClusterState, type Peer, type PromoteRequest } from '../schema/index.js';
import type { PgProbe } from './pg-probe.js';
import { formatBytes } from './table.js';

export interface PromoteAsk {
  /** Peer id (ip:pgPort:backupPort) or zone id. */
  readonly peer: string;
  readonly role: 'sync' | 'async';
  readonly asyncIndex?: number;
}

export type PromotePlan =
  | { readonly ok: true; readonly target: Peer; readonly request: PromoteRequest }
  | { readonly ok: false; readonly reason: string };

export function matchesPeer(peer: Peer, name: string): boolean {
  return peer.id === name || peer.zoneId === name;
}

function refuse(reason: string): PromotePlan {
  return { ok: false, reason };
}

/** The peer the request names, in the slot the role and index name; a reason when it is not there. */
function targetOf(state: ClusterState, ask: PromoteAsk): Peer | string {
  if (ask.role === 'sync') {
    if (ask.asyncIndex !== undefined) return '-i is only for -r async';
    const sync = state.sync;
    if (sync === null) return 'the state has no sync to promote';
    return matchesPeer(sync, ask.peer) ? sync : `${ask.peer} is not the sync (the sync is ${sync.id}): only the sync can become primary`;
  }
  if (ask.asyncIndex === undefined) return '-r async needs -i INDEX (the position in the async list, from 0)';
  const target = state.async[ask.asyncIndex];
  if (target === undefined) return `there is no async ${ask.asyncIndex} (the state has ${state.async.length})`;
  return matchesPeer(target, ask.peer) ? target : `async ${ask.asyncIndex} is ${target.id}, not ${ask.peer}`;
}

/** Operator wording (with what to do) for the sitters' reasons to ignore a request; the rest say the sitters' reason. */
const OPERATOR_REASON: Partial<Record<PromoteCode, (why: string, target: Peer) => string>> = {
  'promote-frozen': (why) => `${why}: unfreeze it first`,
  'promote-target-absent': (_why, target) => `${target.id} is not registered (its sitter is not running)`,
  'successor-no-async': () => 'no registered async: the new primary would have no sync, so the sitters will not switch over',
  'successor-singleton': () => 'the shard is in singleton (one-node-write) mode: there is nobody to promote',
};

/** What would make the sitters ignore the request: their own rule first, then what only an operator can see. */
function shardRefusal(state: ClusterState, active: ActiveList, request: PromoteRequest, target: Peer, nowMs: number): string | null {
  if (state.oneNodeWriteMode === true) return 'the shard is in singleton (one-node-write) mode: there is nobody to promote';
  const verdict = promoteRequestVerdict({ ...state, promote: request }, active.entries, nowMs);
  if (verdict.kind === 'ignored') return OPERATOR_REASON[verdict.code]?.(verdict.why, target) ?? `the sitters would ignore it: ${verdict.why}`;
  const pending = state.promote;
  if (pending !== undefined && pending.generation === state.generation && Date.parse(pending.expireTime) > nowMs) {
    return `a promote request for ${pending.id} is pending until ${pending.expireTime}: wait for it or \`dugong-adm clear-promote\``;
  }
  const registered = new Set(active.entries.map((entry) => entry.peer.id));
  // The primary executes the request: one whose node is gone never will (and its sync may be taking over).
  if (!registered.has(state.primary.id)) return `the primary ${state.primary.id} is not registered: it cannot hand over`;
  return null;
}

export function planPromote(state: ClusterState, active: ActiveList, ask: PromoteAsk, nowMs: number, ttlMs: number): PromotePlan {
  const target = targetOf(state, ask);
  if (typeof target === 'string') return refuse(target);
  const request: PromoteRequest = {
    id: target.id,
    role: ask.role,
    ...(ask.role === 'async' ? { asyncIndex: ask.asyncIndex } : {}),
    generation: state.generation,
    expireTime: new Date(nowMs + ttlMs).toISOString(),
  };
  const refusal = shardRefusal(state, active, request, target, nowMs);
  return refusal === null ? { ok: true, target, request } : refuse(refusal);
}

/** Bytes the target's replayed WAL is behind the primary's current position; a sentence when it cannot be told. */
export function targetLag(primary: PgProbe, target: PgProbe): number | string {
  if (primary.kind === 'down') return `cannot ask the primary's PostgreSQL: ${primary.error}`;
  if (target.kind === 'down') return `cannot ask the target's PostgreSQL: ${target.error}`;
  if (primary.currentLsn === null) return 'the primary reports no current WAL position (is it in recovery?)';
  if (target.replayLsn === null) return 'the target has not replayed any WAL yet';
  return Number(lsnDistanceBytes(primary.currentLsn, target.replayLsn));
}

/** Null when the lag allows the promotion; otherwise why not (the caller may override with --force). */
export function lagRefusal(lag: number | string, maxLagBytes: number): string | null {
  if (typeof lag === 'string') return `cannot check the lag: ${lag}`;
  if (lag > maxLagBytes) return `the target is ${formatBytes(lag)} behind the primary (limit ${formatBytes(maxLagBytes)})`;
  return null;
}
