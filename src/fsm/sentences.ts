// The plain English sentences the sitter logs for its decisions and shows as waiting reasons.
import type { ClusterState, Lsn, Peer, PeerId } from '../schema/index.js';
import type { Role } from './types.js';

/** Whole seconds, for durations a person reads (src/fsm has no Math). */
function seconds(ms: number): number {
  return (ms - (ms % 1000)) / 1000;
}

function list(peers: readonly Peer[]): string {
  return peers.length === 0 ? 'none' : peers.map((peer) => peer.id).join(', ');
}

export const decided = {
  bootstrap: (state: ClusterState): string =>
    `Created generation 1 as primary: I registered first and ${state.sync?.id ?? 'nobody'} registered second (asyncs: ${list(state.async)}).`,
  bootstrapSingleton: (): string =>
    'Created generation 1 as primary in one-node-write mode, as configured: writes need no sync.',
  takeover: (next: ClusterState, oldPrimary: PeerId, replay: Lsn, initWal: Lsn): string =>
    `Took over as primary at generation ${next.generation}: the primary's node ${oldPrimary} is gone and my replayed WAL ${replay} ≥ initWal ${initWal}.`,
  switchover: (next: ClusterState, flushed: Lsn): string =>
    `Handed over to ${next.primary.id} at generation ${next.generation} as requested: writes were off and it had flushed all my WAL (${flushed}); I am deposed until rebuilt.`,
  syncChange: (next: ClusterState, lost: PeerId): string =>
    `Declared generation ${next.generation} with ${next.sync?.id ?? 'nobody'} as sync: my sync ${lost} is gone; initWal is my WAL position ${next.initWal}.`,
  promoteAsync: (next: ClusterState, oldSync: PeerId): string =>
    `Declared generation ${next.generation} with ${next.sync?.id ?? 'nobody'} as sync as an operator requested; ${oldSync} becomes an async; initWal ${next.initWal}.`,
  asyncList: (next: ClusterState, added: readonly Peer[], removed: readonly Peer[]): string =>
    `Updated the asyncs at generation ${next.generation}: added ${list(added)}, removed ${list(removed)}.`,
  writesOn: (generation: number, sync: PeerId, lsn: Lsn): string =>
    `Writes enabled at generation ${generation}: my sync ${sync} has flushed all my WAL (${lsn}).`,
  writesOnSingleton: (generation: number): string =>
    `Writes enabled at generation ${generation} in one-node-write mode: no sync is required.`,
  gaveUp: (generation: number, downMs: number, sync: PeerId, firstStart: boolean): string =>
    firstStart
      ? `Gave up my registration at generation ${generation}: my PostgreSQL has not come up within ${downMs} ms of my starting it, so my sync ${sync} can take over now.`
      : `Gave up my registration at generation ${generation}: my PostgreSQL has been down for ${downMs} ms and could not be restarted, so my sync ${sync} can take over now.`,
  gaveUpStorage: (generation: number, silentMs: number, sync: PeerId): string =>
    `Gave up my registration at generation ${generation}: my storage has not answered for ${seconds(silentMs)} s, so my sync ${sync} can take over now; stopping PostgreSQL at once (immediate shutdown).`,
  leftElectionStorage: (silentMs: number): string =>
    `Left the election: my storage has not answered for ${seconds(silentMs)} s, so I must not be chosen as the new sync; registering again once it answers.`,
  storageAnswers: (silentMs: number): string => `My storage answers again after ${seconds(silentMs)} s without an answer.`,
  registerAgain: (generation: number, waitedMs: number): string =>
    `Registering again at generation ${generation}: nobody took over within ${waitedMs} ms of my giving up.`,
  writeConflict: (generation: number): string =>
    `Lost the race to write generation ${generation}: someone else wrote first; re-reading the cluster state.`,
  writeError: (generation: number, error: string): string =>
    `Writing generation ${generation} failed (${error}); re-reading the cluster state to see whether it was applied.`,
  pgOpFailed: (op: string, error: string): string => `PostgreSQL ${op} failed: ${error}.`,
  rebuilding: (primary: PeerId, why: string): string =>
    `Rebuilding from the primary ${primary} because ${why}: my diverged data is kept aside, never destroyed.`,
  rejoin: (generation: number, primary: PeerId): string =>
    `Rebuilt from the primary ${primary}: removed myself from the deposed list at generation ${generation}, to be added as an async.`,
  rebuildRequested: (): string => 'An operator asked for a rebuild of this deposed peer.',
  rebuildRefused: (role: Role): string => `A rebuild was requested, but I am ${role}, not deposed: nothing to rebuild.`,
  shutdownHandover: (sync: PeerId): string =>
    `Shutting down on request: handing over to my sync ${sync} (writes off, waiting for it to flush, then leaving the election).`,
  shutdown: (): string => 'Shutting down on request: leaving the election and stopping PostgreSQL.',
  shutdownNoHandover: (why: string): string =>
    `Shutting down on request without a handover, because ${why}: leaving the election and stopping PostgreSQL at once.`,
  handoverAbandoned: (why: string): string =>
    `Stopped waiting for the handover, because ${why}: leaving the election and stopping PostgreSQL at once.`,
  exit: (flushed: boolean): string =>
    flushed ? 'Exiting after a clean shutdown.' : 'Exiting after shutdown; my sync had not confirmed it flushed everything in time.',
} as const;

interface RoleChangeFacts {
  readonly from: Role;
  readonly to: Role;
  readonly prev: ClusterState | null;
  readonly next: ClusterState;
  readonly upstream: Peer | null;
}

const rolePhrase: Record<Role, string> = {
  none: 'without a role',
  unassigned: 'not in the cluster state',
  primary: 'primary',
  sync: 'sync',
  async: 'async',
  deposed: 'deposed',
};

function following(upstream: Peer | null): string {
  return upstream === null ? '' : `; I follow ${upstream.id}`;
}

export const adopted = {
  /** My own write whose answer was lost, learnt from a read. */
  createdByMe: (f: RoleChangeFacts): string =>
    `Now primary at generation ${f.next.generation}: the first cluster state, which I created, names me (its answer reached me through a read).`,
  tookOverByMe: (f: RoleChangeFacts): string =>
    `Now primary at generation ${f.next.generation}: my takeover from ${f.prev?.primary.id ?? 'the old primary'} was written (its answer reached me through a read).`,
  bootstrapSync: (f: RoleChangeFacts): string =>
    `Now sync at generation 1: ${f.next.primary.id}, the first registered peer, created the shard with me second.`,
  bootstrapAsync: (f: RoleChangeFacts): string =>
    `Now async at generation 1: ${f.next.primary.id} created the shard${following(f.upstream)}.`,
  switchedOverToMe: (f: RoleChangeFacts): string =>
    `Now primary at generation ${f.next.generation}: ${f.prev?.primary.id ?? 'the primary'} handed over to me as an operator requested.`,
  deposed: (f: RoleChangeFacts): string =>
    `Deposed at generation ${f.next.generation}: ${f.next.primary.id} is primary now; stopping PostgreSQL until I am rebuilt.`,
  syncForNewPrimary: (f: RoleChangeFacts): string =>
    `Now sync at generation ${f.next.generation}: ${f.next.primary.id} became primary and I was the first present async.`,
  syncReplacement: (f: RoleChangeFacts): string =>
    `Now sync at generation ${f.next.generation}: ${f.next.primary.id} replaced its lost sync ${f.prev?.sync?.id ?? '(unknown)'} with me.`,
  promotedToSync: (f: RoleChangeFacts): string =>
    `Now sync at generation ${f.next.generation}: an operator promoted me from the asyncs.`,
  demotedToAsync: (f: RoleChangeFacts): string =>
    `Now async at generation ${f.next.generation}: an operator promoted ${f.next.sync?.id ?? 'another peer'} into my place as sync${following(f.upstream)}.`,
  joined: (f: RoleChangeFacts): string =>
    `Joined as async at generation ${f.next.generation}: ${f.next.primary.id} appended me${following(f.upstream)}.`,
  asyncRemoved: (f: RoleChangeFacts): string =>
    `No longer an async at generation ${f.next.generation}: I was left out while my election node was gone; waiting to be appended again.`,
  syncRemoved: (f: RoleChangeFacts): string =>
    `No longer the sync at generation ${f.next.generation}: ${f.next.primary.id} replaced me with ${f.next.sync?.id ?? 'nobody'} while my election node was gone.`,
  resumed: (f: RoleChangeFacts): string =>
    `Started as ${rolePhrase[f.to]} at generation ${f.next.generation}, as the cluster state names me${following(f.upstream)}.`,
  resumedUnassigned: (f: RoleChangeFacts): string =>
    `Started without a role at generation ${f.next.generation}: the cluster state does not name me, so I wait for ${f.next.primary.id} to append me.`,
  rebuilt: (f: RoleChangeFacts): string =>
    `No longer deposed at generation ${f.next.generation}: my data is a copy of ${f.next.primary.id}'s; waiting to be appended as an async.`,
  resumedDeposed: (f: RoleChangeFacts): string =>
    `Started deposed at generation ${f.next.generation}: the cluster state lists me as deposed or names ${f.next.primary.id} as primary while my data is a primary's.`,
  unexplained: (f: RoleChangeFacts): string =>
    `Now ${rolePhrase[f.to]} at generation ${f.next.generation} (was ${rolePhrase[f.from]}): no single protocol step explains the change, probably an operator edit, so I follow the state.`,
} as const;

export type RoleChangeSentence = (facts: RoleChangeFacts) => string;
export type { RoleChangeFacts };

export const waiting = {
  noSession: (): string => 'Waiting for a coordination session.',
  disconnected: (): string =>
    'Disconnected from the coordination service: keeping my role and PostgreSQL as they are until it is back.',
  reading: (): string => 'Reading the cluster state and the election nodes.',
  notRegistered: (): string => 'Waiting for my election node to be registered.',
  bootstrapSecond: (): string => 'Waiting for a second peer to register before creating the first cluster state.',
  bootstrapOther: (first: PeerId): string =>
    `Waiting for ${first}, the first registered peer, to create the first cluster state.`,
  bootstrapRefused: (generation: number): string =>
    `The cluster state is gone after I saw generation ${generation}: not creating a new one over existing data; an operator must restore it.`,
  bootstrapStandbyData: (): string =>
    'The cluster state is absent but my data directory is a standby of some shard: not creating a new one; an operator must restore it.',
  invalid: (problems: readonly string[]): string =>
    `The cluster state is invalid (${problems.join('; ')}): taking no action until an operator writes a valid one.`,
  syncGoneNoAsync: (sync: PeerId): string =>
    `My sync ${sync} is gone and no async is present to replace it: commits wait until it returns.`,
  syncGoneFrozen: (sync: PeerId, reason: string): string =>
    `My sync ${sync} is gone but the cluster is frozen (${reason}): not replacing it.`,
  catchUp: (sync: PeerId): string => `Writes stay off until my sync ${sync} has flushed all my WAL.`,
  changingSync: (generation: number): string =>
    `Writes are off while I declare generation ${generation} with a new sync.`,
  switchover: (target: PeerId): string =>
    `Switching over to ${target} as requested: writes are off until it has flushed all my WAL.`,
  takeoverBlocked: (primary: PeerId, why: string): string => `The primary ${primary} is gone but ${why}: not taking over.`,
  takingOver: (primary: PeerId): string =>
    `The primary ${primary} is gone: detaching from it and checking my WAL before taking over.`,
  unassigned: (primary: PeerId): string => `Waiting for the primary ${primary} to add me as an async.`,
  singletonUnassigned: (): string =>
    'The shard is in one-node-write mode: other peers are not added until an operator leaves it.',
  deposed: (): string => 'Deposed: PostgreSQL stays stopped until an operator rebuilds me (rebuildPolicy manual: dugong-adm rebuild).',
  rebuilding: (primary: PeerId): string =>
    `Deposed: rebuilding my data from the primary ${primary} (my diverged data is kept aside).`,
  rejoining: (primary: PeerId): string => `Rebuilt from ${primary}: leaving the deposed list so that it adds me as an async.`,
  rebuildNoSource: (primary: PeerId): string => `Deposed: waiting for the primary ${primary} to be registered before rebuilding from it.`,
  rebuildRetry: (retryMs: number): string => `Deposed: the last rebuild failed; trying again ${retryMs} ms after it.`,
  pgDown: (budgetMs: number): string => `My PostgreSQL is down: restarting it (restart budget ${budgetMs} ms).`,
  pgDownNoGiveUp: (why: string): string =>
    `My PostgreSQL has been down longer than the restart budget, but giving up would not help (${why}): still restarting it.`,
  /** Not a crash: this process has not seen PostgreSQL running yet (first start of the shard, or of this sitter). */
  pgFirstStart: (generation: number): string => `Starting PostgreSQL as primary of generation ${generation}.`,
  pgFirstStartNoGiveUp: (why: string): string =>
    `My PostgreSQL has not come up within the restart budget, but giving up would not help (${why}): still trying to start it.`,
  gaveUp: (sync: PeerId): string => `Gave up my registration: waiting for my sync ${sync} to take over.`,
  gaveUpStorage: (sync: PeerId): string =>
    `Gave up my registration because my storage stopped answering: waiting for my sync ${sync} to take over.`,
  storageStalledNoGiveUp: (silentMs: number, why: string): string =>
    `My storage has not answered for ${seconds(silentMs)} s, but giving up would not help (${why}): staying primary.`,
  storageStalledGivingUp: (silentMs: number): string =>
    `My storage has not answered for ${seconds(silentMs)} s: giving up my registration so that my sync takes over.`,
  storageStalledStandby: (silentMs: number): string =>
    `My storage has not answered for ${seconds(silentMs)} s: out of the election so that I am not chosen as the new sync, until it answers again.`,
  shuttingDown: (): string => 'Shutting down.',
  flushWait: (sync: PeerId): string => `Shutting down: waiting for my sync ${sync} to flush all my WAL.`,
} as const;
