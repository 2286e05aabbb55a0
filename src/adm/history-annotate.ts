// PURE: reads the history of written states in order and says what each write changed, flagging protocol anomalies.
import type { HistoryEntry } from '../coord/index.js';
import type { ClusterState, Peer } from '../schema/index.js';

export interface AnnotatedEntry {
  readonly seq: number;
  readonly nodeName: string;
  /** Operator writes carry generation 0 in their history node name. */
  readonly writer: 'sitter' | 'operator';
  readonly state: ClusterState | null;
  /** What changed, in plain words (includes the freeze time, the only time a state records). */
  readonly notes: readonly string[];
  /** Things the protocol forbids or that point at lost history. */
  readonly anomalies: readonly string[];
}

const ids = (peers: readonly Peer[]): string[] => peers.map((peer) => peer.id);

/** Added and removed ids; `moved` ids (now primary or sync) are left out: the role note already says where they went. */
function listDiff(what: string, before: readonly Peer[], after: readonly Peer[], moved: ReadonlySet<string> = new Set()): string[] {
  const was = new Set(ids(before));
  const now = new Set(ids(after));
  const added = ids(after).filter((id) => !was.has(id));
  const removed = ids(before).filter((id) => !now.has(id) && !moved.has(id));
  const parts = [...added.map((id) => `+${id}`), ...removed.map((id) => `-${id}`)];
  return parts.length === 0 ? [] : [`${what}: ${parts.join(' ')}`];
}

/** Role changes that come with a new generation: takeover, switchover, sync replacement. */
function generationChange(prev: ClusterState, next: ClusterState): { notes: string[]; anomalies: string[] } {
  const request = prev.promote;
  if (next.primary.id !== prev.primary.id) {
    if (next.primary.id !== prev.sync?.id) {
      return { notes: [], anomalies: [`new primary ${next.primary.id} was not the previous sync (${prev.sync?.id ?? 'none'})`] };
    }
    const how = request?.role === 'sync' && request.id === next.primary.id ? 'switchover (promote request)' : 'takeover';
    return { notes: [`${how}: ${next.primary.id} replaced primary ${prev.primary.id}, new sync ${next.sync?.id ?? 'none'}`], anomalies: [] };
  }
  if (next.sync?.id !== prev.sync?.id) {
    const how = request?.role === 'async' && request.id === next.sync?.id ? 'async promoted to sync (promote request)' : 'sync replaced';
    return { notes: [`${how}: ${prev.sync?.id ?? 'none'} -> ${next.sync?.id ?? 'none'}`], anomalies: [] };
  }
  return { notes: ['new generation without a change of primary or sync'], anomalies: [] };
}

/** Same generation: only the async list, deposed list, freeze and promote request may change. */
function sameGeneration(prev: ClusterState, next: ClusterState): { notes: string[]; anomalies: string[] } {
  const anomalies: string[] = [];
  if (next.primary.id !== prev.primary.id) anomalies.push(`primary changed (${prev.primary.id} -> ${next.primary.id}) without a new generation`);
  if (next.sync?.id !== prev.sync?.id) anomalies.push(`sync changed (${prev.sync?.id ?? 'none'} -> ${next.sync?.id ?? 'none'}) without a new generation`);
  return { notes: [], anomalies };
}

function operatorNotes(prev: ClusterState | null, next: ClusterState): string[] {
  const notes: string[] = [];
  if (next.freeze !== undefined && prev?.freeze?.date !== next.freeze.date) notes.push(`frozen at ${next.freeze.date}: ${next.freeze.reason}`);
  if (next.freeze === undefined && prev?.freeze !== undefined) notes.push('unfrozen');
  const request = next.promote;
  if (request !== undefined && JSON.stringify(request) !== JSON.stringify(prev?.promote)) {
    const what = request.role === 'sync' ? `${request.id} (the sync) to primary` : `${request.id} (async ${request.asyncIndex ?? '?'}) to sync`;
    notes.push(`promote requested: ${what} (generation ${request.generation}, expires ${request.expireTime})`);
  }
  if (request === undefined && prev?.promote !== undefined && prev.generation === next.generation) notes.push('promote request removed');
  return notes;
}

function compare(prev: ClusterState | null, next: ClusterState): { notes: string[]; anomalies: string[] } {
  if (prev === null) return { notes: [next.generation === 1 ? 'first state (bootstrap)' : `first state in the history (generation ${next.generation})`], anomalies: [] };
  const promoted = new Set([next.primary.id, ...(next.sync === null ? [] : [next.sync.id])]);
  const lists = [...listDiff('async', prev.async, next.async, promoted), ...listDiff('deposed', prev.deposed, next.deposed)];
  if (next.generation < prev.generation) {
    return { notes: lists, anomalies: [`generation went backwards: ${prev.generation} -> ${next.generation}`] };
  }
  if (next.generation > prev.generation + 1) {
    return { notes: lists, anomalies: [`generation jumped ${prev.generation} -> ${next.generation} (a write is missing from the history)`] };
  }
  const roles = next.generation === prev.generation ? sameGeneration(prev, next) : generationChange(prev, next);
  return { notes: [...roles.notes, ...lists], anomalies: roles.anomalies };
}

function annotateOne(entry: HistoryEntry, prev: ClusterState | null): AnnotatedEntry {
  const writer = entry.generation === 0 ? 'operator' : 'sitter';
  const base = { seq: entry.seq, nodeName: entry.nodeName, writer } as const;
  if (entry.record.kind === 'invalid') {
    return { ...base, state: null, notes: [], anomalies: [`unreadable state: ${entry.record.problems.join('; ')}`] };
  }
  const next = entry.record.state;
  const { notes, anomalies } = compare(prev, next);
  if (writer === 'sitter' && entry.generation !== next.generation) {
    anomalies.push(`history node names generation ${entry.generation}, the state has ${next.generation}`);
  }
  return { ...base, state: next, notes: [...notes, ...operatorNotes(prev, next)], anomalies };
}

/** Entries in write order; each is compared with the last readable state before it. */
export function annotateHistory(entries: readonly HistoryEntry[]): AnnotatedEntry[] {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  let prev: ClusterState | null = null;
  return sorted.map((entry) => {
    const annotated = annotateOne(entry, prev);
    if (annotated.state !== null) prev = annotated.state;
    return annotated;
  });
}
