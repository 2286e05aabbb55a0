// Folding coordination observations into what the sitter knows: sessions, snapshots, watches and write results.
import { parseClusterState } from '../schema/index.js';
import { logInfo, logWarn, patch, patchCoord, patchPending, type Draft } from './draft.js';
import { checkInvariants } from './invariants.js';
import type { Observation } from './observations.js';
import { dedupeActive } from './roles.js';
import { decided } from './sentences.js';
import type { ActiveEntry, ClusterStateData, PendingCoord } from './types.js';

type Of<K extends Observation['kind']> = Extract<Observation, { kind: K }>;

/**
 * A generation below one this sitter has already seen means the state was rolled back (an operator restoring an old
 * copy, a bug, a replayed write): acting on it could make two primaries, so it is refused like an invalid one.
 */
function regression(generation: number, seen: number): string[] {
  return generation < seen ? [`generation ${generation} is behind generation ${seen}, which this sitter has already seen`] : [];
}

/**
 * Validates raw state data: schema first, then the invariants, then the generation against the highest already
 * seen; any failure makes it invalid: no action, and the reason is logged (each refused version once).
 * ZooKeeper znode versions only grow and the state node is never deleted, so data whose version is not newer
 * than the one already known is old news (a read answer overtaken by a watch event, or the reverse): ignored.
 */
export function learnCluster(d: Draft, data: ClusterStateData): void {
  if (data.kind === 'absent') {
    patchCoord(d, { cluster: { kind: 'absent' }, sawAbsent: true });
    return;
  }
  const known = d.state.coord.cluster;
  if ((known.kind === 'valid' || known.kind === 'invalid') && data.version <= known.version) return;
  const parsed = parseClusterState(data.data);
  const seen = d.state.coord.highestGeneration;
  const problems = parsed.ok ? [...checkInvariants(parsed.state), ...regression(parsed.state.generation, seen)] : parsed.problems;
  if (!parsed.ok || problems.length > 0) {
    patchCoord(d, { cluster: { kind: 'invalid', problems, version: data.version } });
    logWarn(d, `Refused the cluster state at version ${data.version} (${problems.join('; ')}): taking no action on it.`);
    return;
  }
  const highestGeneration = parsed.state.generation > seen ? parsed.state.generation : seen;
  patchCoord(d, { cluster: { kind: 'valid', state: parsed.state, version: data.version }, highestGeneration });
  // The doubtful write either landed or was overtaken once a generation at least as new is in force.
  if (d.state.writeInDoubt !== null && parsed.state.generation >= d.state.writeInDoubt) patch(d, { writeInDoubt: null });
}

/** A generation change whose outcome is unknown; same-generation async updates change nothing that matters here. */
function markInDoubt(d: Draft, pending: PendingCoord | null): void {
  if (pending?.op === 'write' && pending.purpose !== 'asyncList' && pending.purpose !== 'rejoin') patch(d, { writeInDoubt: pending.state.generation });
}

function learnActive(d: Draft, active: readonly ActiveEntry[]): void {
  patchCoord(d, { active: dedupeActive(active) });
}

export function absorbSession(d: Draft, kind: 'sessionConnected' | 'sessionDisconnected' | 'sessionExpired'): void {
  if (kind === 'sessionConnected') patchCoord(d, { session: 'connected', fresh: false });
  if (kind === 'sessionDisconnected') patchCoord(d, { session: 'disconnected', fresh: false });
  if (kind === 'sessionExpired') {
    // Our node died with the session; results of operations issued on it will not come.
    markInDoubt(d, d.state.pending.coord);
    patchCoord(d, { session: 'expired', fresh: false, registration: { kind: 'none' } });
    patchPending(d, { coord: null });
  }
}

/**
 * A read's answer, ordered against watch events that arrived while it was in flight (which may be newer):
 * - a present state is ordered by its version (learnCluster);
 * - `absent` has no version, but once a watch delivered a present state during the read it is the older news;
 * - the election list has no version either (getChildren returns none), so a list a watch delivered during the
 *   read is kept. That is safe whichever is newer: every watch re-read re-arms the watch, so any change after
 *   the list we keep brings another watch event with a list at least that new.
 */
export function absorbSnapshot(d: Draft, obs: Of<'coordSnapshot'>): void {
  const pending = d.state.pending.coord;
  if (pending?.op !== 'read' || pending.opId !== obs.opId) return;
  patchPending(d, { coord: null });
  const known = d.state.coord.cluster.kind;
  const absentIsOld = obs.cluster.kind === 'absent' && pending.watchedState && (known === 'valid' || known === 'invalid');
  if (!absentIsOld) learnCluster(d, obs.cluster);
  if (!pending.watchedActive) learnActive(d, obs.active);
  // A read after the doubtful write shows what is in force: if our generation is not there, it never landed.
  patch(d, { writeInDoubt: null });
  patchCoord(d, { fresh: d.state.coord.session === 'connected' });
}

/** Watch events are delivered in order among themselves; one arriving during a read is remembered for its answer. */
export function absorbWatch(d: Draft, obs: Of<'clusterStateChanged'> | Of<'activeListChanged'>): void {
  const pending = d.state.pending.coord;
  if (obs.kind === 'clusterStateChanged') {
    learnCluster(d, obs.cluster);
    if (pending?.op === 'read') patchPending(d, { coord: { ...pending, watchedState: true } });
    return;
  }
  learnActive(d, obs.active);
  if (pending?.op === 'read') patchPending(d, { coord: { ...pending, watchedActive: true } });
}

export function absorbCoordOp(d: Draft, obs: Of<'registerOk'> | Of<'unregisterOk'> | Of<'coordOpFailed'>): void {
  const pending = d.state.pending.coord;
  if (pending === null || pending.opId !== obs.opId) return;
  patchPending(d, { coord: null });
  if (obs.kind === 'registerOk') patchCoord(d, { registration: { kind: 'registered', seq: obs.seq } });
  if (obs.kind === 'unregisterOk') patchCoord(d, { registration: { kind: 'none' } });
  if (obs.kind === 'coordOpFailed') {
    patchCoord(d, { lastFailureAtMs: d.nowMs });
    logWarn(d, `Coordination ${pending.op} failed: ${obs.error}.`);
  }
}

type WriteResult = Of<'stateWriteOk'> | Of<'stateWriteConflict'> | Of<'stateWriteError'>;

export function absorbWriteResult(d: Draft, obs: WriteResult): void {
  const pending = d.state.pending.coord;
  if (pending?.op !== 'write' || pending.opId !== obs.opId) return;
  patchPending(d, { coord: null });
  const generation = pending.state.generation;
  if (obs.kind === 'stateWriteOk') {
    learnCluster(d, { kind: 'present', version: obs.version, data: pending.state });
    const changesMyRole = pending.purpose === 'bootstrap' || pending.purpose === 'takeover' || pending.purpose === 'switchover';
    if (changesMyRole) patch(d, { roleCause: { purpose: pending.purpose, generation, sentence: pending.sentence } });
    else logInfo(d, pending.sentence);
    return;
  }
  // Conflict or unknown outcome: re-read before deciding anything else (roles come from what was really written).
  if (obs.kind === 'stateWriteError') markInDoubt(d, pending);
  patchCoord(d, { fresh: false, lastFailureAtMs: obs.kind === 'stateWriteError' ? d.nowMs : null });
  logWarn(d, obs.kind === 'stateWriteConflict' ? decided.writeConflict(generation) : decided.writeError(generation, obs.error));
}
