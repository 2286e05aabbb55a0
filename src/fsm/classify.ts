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
        return { transition: singleton ? 'T02-bootstrap-singleton' : 'T01-bootstrap-primary', sentence: adopted.resumed };
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

function toSync(c: ChangeContext): Explained {
  const { prev, next } = c;
  if (prev === null) return unexplained;
  if (next.primary.id !== prev.primary.id && next.primary.id === prev.sync?.id) {
    return { transition: 'T09-async-to-sync-new-primary', sentence: adopted.syncForNewPrimary };
  }
  if (next.primary.id !== prev.primary.id) return unexplained;
  if (promoteFor(prev, c.selfId, 'async')) return { transition: 'T11-async-promoted-to-sync', sentence: adopted.promotedToSync };
  const oldSync = prev.sync;
  if (oldSync !== null && next.sync?.id !== oldSync.id) {
    return { transition: 'T10-async-to-sync-replacement', sentence: adopted.syncReplacement };
  }
  return unexplained;
}

function toPrimary(c: ChangeContext): Explained {
  if (c.cause === 'takeover') return { transition: 'T05-sync-takes-over', sentence: adopted.resumed };
  if (c.prev === null || !c.next.deposed.some((peer) => peer.id === c.prev?.primary.id)) return unexplained;
  if (promoteFor(c.prev, c.selfId, 'sync')) return { transition: 'T06-switchover-new-primary', sentence: adopted.switchedOverToMe };
  return { transition: 'T05-sync-takes-over', sentence: adopted.resumed };
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
      return promoteFor(c.prev, c.next.sync?.id ?? '', 'async')
        ? { transition: 'T12-sync-demoted-to-async', sentence: adopted.demotedToAsync }
        : unexplained;
    case 'unassigned>async':
      return { transition: 'T13-joined-as-async', sentence: adopted.joined };
    case 'async>unassigned':
      return { transition: 'T14-async-removed', sentence: adopted.asyncRemoved };
    case 'sync>unassigned':
      return { transition: 'T15-sync-removed', sentence: adopted.syncRemoved };
    default:
      return unexplained;
  }
}
