// Explains a change of my role: which transitions-table row it applied and the sentence that says why.
import type { ClusterState, PeerId } from '../schema/index.js';
import { adopted, type RoleChangeFacts, type RoleChangeSentence } from './sentences.js';
import type { TransitionId } from './transitions.js';
import type { Role, WritePurpose } from './types.js';

export interface Explained {
  readonly transition: TransitionId;
  /** Sentence for a change I did not write myself; own writes log their decision sentence instead. */
  readonly sentence: RoleChangeSentence;
}

export interface ChangeContext extends RoleChangeFacts {
  readonly selfId: PeerId;
  /** The purpose of my own write that caused the change, if it was mine. */
  readonly cause: WritePurpose | null;
  /** The state was seen absent earlier in this process, so generation 1 is a bootstrap I witnessed. */
  readonly sawBootstrap: boolean;
}

const unexplained: Explained = { transition: 'T21-reassigned-unexplained', sentence: adopted.unexplained };

function promoteFor(prev: ClusterState | null, id: PeerId, role: 'sync' | 'async'): boolean {
  return prev?.promote?.id === id && prev.promote.role === role && prev.promote.generation === prev.generation;
}

function fromNone(c: ChangeContext): Explained {
  const bootstrap = c.sawBootstrap && c.next.generation === 1;
  switch (c.to) {
    case 'primary':
      if (c.cause === 'bootstrap' || bootstrap) {
        const singleton = c.next.oneNodeWriteMode === true;
        return { transition: singleton ? 'T02-bootstrap-singleton' : 'T01-bootstrap-primary', sentence: adopted.createdByMe };
      }
      return { transition: 'T16-start-primary', sentence: adopted.resumed };
    case 'sync':
      return bootstrap
        ? { transition: 'T03-bootstrap-sync', sentence: adopted.bootstrapSync }
        : { transition: 'T17-start-sync', sentence: adopted.resumed };
    case 'async':
      return bootstrap
        ? { transition: 'T04-bootstrap-async', sentence: adopted.bootstrapAsync }
        : { transition: 'T18-start-async', sentence: adopted.resumed };
    case 'unassigned':
      return { transition: 'T19-start-unassigned', sentence: adopted.resumedUnassigned };
    case 'deposed':
      return { transition: 'T20-start-deposed', sentence: adopted.resumedDeposed };
    case 'none':
      return unexplained;
  }
}

/** async → sync: a new primary needed a sync, the primary replaced a lost sync, or a promote swapped us. */
function toSync(c: ChangeContext): Explained {
  const { prev, next } = c;
  if (prev === null) return unexplained;
  if (next.primary.id !== prev.primary.id) {
    return next.primary.id === prev.sync?.id
      ? { transition: 'T09-async-to-sync-new-primary', sentence: adopted.syncForNewPrimary }
      : unexplained;
  }
  const oldSync = prev.sync;
  if (oldSync === null) return unexplained;
  // The old sync still in the asyncs means a swap, which only a promote request makes (even if I missed the request).
  const swapped = next.async.some((peer) => peer.id === oldSync.id);
  if (promoteFor(prev, c.selfId, 'async') || swapped) return { transition: 'T11-async-promoted-to-sync', sentence: adopted.promotedToSync };
  return { transition: 'T10-async-to-sync-replacement', sentence: adopted.syncReplacement };
}

/** sync → async happens only by a promote swap: the new sync was an async, the primary is unchanged. */
function toAsync(c: ChangeContext): Explained {
  const { prev, next } = c;
  const swapped = prev !== null && next.primary.id === prev.primary.id && prev.async.some((peer) => peer.id === next.sync?.id);
  return swapped ? { transition: 'T12-sync-demoted-to-async', sentence: adopted.demotedToAsync } : unexplained;
}

function toPrimary(c: ChangeContext): Explained {
  if (c.cause === 'takeover') return { transition: 'T05-sync-takes-over', sentence: adopted.tookOverByMe };
  if (c.prev === null || !c.next.deposed.some((peer) => peer.id === c.prev?.primary.id)) return unexplained;
  if (promoteFor(c.prev, c.selfId, 'sync')) return { transition: 'T06-switchover-new-primary', sentence: adopted.switchedOverToMe };
  return { transition: 'T05-sync-takes-over', sentence: adopted.tookOverByMe };
}

function toDeposed(c: ChangeContext): Explained {
  const handedOver = c.cause === 'switchover' || (c.prev !== null && promoteFor(c.prev, c.next.primary.id, 'sync'));
  if (handedOver && c.prev?.sync?.id === c.next.primary.id) return { transition: 'T08-primary-hands-over', sentence: adopted.deposed };
  return { transition: 'T07-primary-deposed', sentence: adopted.deposed };
}

/** The row applied by a role change and how to say it; the catch-all row when no protocol step explains it. */
export function explainRoleChange(c: ChangeContext): Explained {
  if (c.from === 'none') return fromNone(c);
  const key = `${c.from}>${c.to}` as `${Role}>${Role}`;
  switch (key) {
    case 'sync>primary':
      return toPrimary(c);
    case 'primary>deposed':
      return toDeposed(c);
    case 'async>sync':
      return toSync(c);
    case 'sync>async':
      return toAsync(c);
    case 'unassigned>async':
      return { transition: 'T13-joined-as-async', sentence: adopted.joined };
    case 'async>unassigned':
      return { transition: 'T14-async-removed', sentence: adopted.asyncRemoved };
    case 'deposed>unassigned':
      return { transition: 'T22-deposed-rebuilt', sentence: adopted.rebuilt };
    case 'sync>unassigned':
      return { transition: 'T15-sync-removed', sentence: adopted.syncRemoved };
    default:
      return unexplained;
  }
}
