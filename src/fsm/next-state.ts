// Builders for every cluster state a sitter writes; each returns a complete state that passes checkInvariants.
import { ZERO_LSN, type ClusterState, type Lsn, type Peer, type PeerId } from '../schema/index.js';
import { checkInvariants } from './invariants.js';
import { newcomers, presentAsyncs } from './roles.js';
import type { ActiveEntry } from './types.js';

/** Generation 1: primary = the first registered (me), sync = the second, asyncs = the rest; initWal 0/0. */
export function bootstrapState(active: readonly ActiveEntry[], singleton: boolean): ClusterState | null {
  const [first, second, ...rest] = active.map((entry) => entry.peer);
  if (first === undefined) return null;
  if (singleton) {
    return { generation: 1, primary: first, sync: null, async: [], deposed: [], initWal: ZERO_LSN, oneNodeWriteMode: true };
  }
  if (second === undefined) return null;
  return { generation: 1, primary: first, sync: second, async: rest, deposed: [], initWal: ZERO_LSN };
}

/**
 * A new generation's standby slots: the sync is the first present async (never a newcomer, which the primary
 * appends as an async first); the other present asyncs keep their order and newcomers follow.
 */
function standbys(state: ClusterState, active: readonly ActiveEntry[], exclude: PeerId | null): { sync: Peer; async: Peer[] } | null {
  const [sync, ...rest] = presentAsyncs(state, active).filter((peer) => peer.id !== exclude);
  if (sync === undefined) return null;
  return { sync, async: [...rest, ...newcomers(state, active)] };
}

/** The fields a new generation starts from: promote requests belong to the old generation and are dropped. */
function nextGeneration(state: ClusterState): ClusterState {
  const { promote: _promote, ...rest } = state;
  return { ...rest, generation: state.generation + 1 };
}

/** Takeover by the sync: it becomes primary, the first present async its sync, the old primary is deposed. */
export function takeoverState(state: ClusterState, active: readonly ActiveEntry[], initWal: Lsn): ClusterState | null {
  const self = state.sync;
  const slots = self === null ? null : standbys(state, active, self.id);
  if (self === null || slots === null) return null;
  return { ...nextGeneration(state), primary: self, ...slots, deposed: [...state.deposed, state.primary], initWal };
}

/** Sync lost: the first present async becomes sync; initWal is the primary's WAL position with writes off. */
export function syncChangeState(state: ClusterState, active: readonly ActiveEntry[], initWal: Lsn): ClusterState | null {
  const slots = standbys(state, active, null);
  return slots === null ? null : { ...nextGeneration(state), ...slots, initWal };
}

/** Operator promotes async[index] to sync; the old sync takes its place (if it is still present). */
export function promoteAsyncState(
  state: ClusterState,
  active: readonly ActiveEntry[],
  index: number,
  initWal: Lsn,
): ClusterState | null {
  const target = state.async[index];
  const oldSync = state.sync;
  if (target === undefined || oldSync === null) return null;
  const present = new Set(active.map((entry) => entry.peer.id));
  const swapped = state.async.map((peer, i) => (i === index ? oldSync : peer)).filter((peer) => present.has(peer.id));
  const async = [...swapped, ...newcomers(state, active)];
  return { ...nextGeneration(state), sync: target, async, initWal };
}

/**
 * Planned switchover: the caught-up sync becomes primary, the first present async its sync, and I am deposed.
 * Deposed rather than re-attached as an async: PostgreSQL still writes WAL of its own (a shutdown checkpoint)
 * after the new primary forked its timeline, so the old primary needs a rebuild (pg_rewind or ZFS) to follow it.
 */
export function switchoverState(state: ClusterState, active: readonly ActiveEntry[], initWal: Lsn): ClusterState | null {
  const target = state.sync;
  const slots = target === null ? null : standbys(state, active, target.id);
  if (target === null || slots === null) return null;
  return { ...nextGeneration(state), primary: target, ...slots, deposed: [...state.deposed, state.primary], initWal };
}

/** Same generation: absent asyncs removed, newcomers appended in registration order; null when nothing changes. */
export function asyncListState(state: ClusterState, active: readonly ActiveEntry[]): ClusterState | null {
  const async = [...presentAsyncs(state, active), ...newcomers(state, active)];
  const unchanged = async.length === state.async.length && async.every((peer, i) => peer.id === state.async[i]?.id);
  if (unchanged) return null;
  const next: ClusterState = { ...state, async };
  if (next.promote === undefined || checkInvariants(next).length === 0) return next;
  // The async list moved under a promote request: it no longer names the slot the operator meant, so drop it.
  const { promote: _dropped, ...withoutPromote } = next;
  return withoutPromote;
}
