// PURE: what is wrong with a shard, as error/warning sentences: the `problems` of show and the checks of verify.
import type { ErrorCode } from '../errors.js';
import { applicationNameForPeer } from '../pg/index.js';
import { pgTargetOf } from '../runtime/peer-directory.js';
import type { ClusterState } from '../schema/index.js';
import { chainRows, type ChainRow } from './chain.js';
import type { ShardSnapshot } from './snapshot.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly severity: Severity;
  readonly message: string;
  /** A stable code for the findings that scripts match on (docs/errors.md). */
  readonly code?: ErrorCode;
}

const error = (message: string): Finding => ({ severity: 'error', message });
const warning = (message: string): Finding => ({ severity: 'warning', message });

function name(row: ChainRow): string {
  return `${row.role} ${row.peer.id}`;
}

/** The shard as a whole: singleton mode, missing sync or async, freeze, a pending promote request. */
function shardFindings(state: ClusterState, nowMs: number): Finding[] {
  const found: Finding[] = [];
  if (state.sync === null) {
    found.push(state.oneNodeWriteMode === true ? warning('singleton mode: writes are not replicated to any other peer') : error('the state names no sync: writes are not protected'));
  } else if (state.async.length === 0) {
    found.push(warning('no async: if the sync or the primary is lost, nobody can take its place until another peer joins'));
  }
  if (state.freeze !== undefined) found.push(warning(`frozen since ${state.freeze.date} (${state.freeze.reason}): no failover or promotion will happen`));
  const promote = state.promote;
  if (promote !== undefined) {
    const expired = Date.parse(promote.expireTime) <= nowMs || promote.generation !== state.generation;
    found.push(warning(expired
      ? `a promote request for ${promote.id} no longer applies (expired or for generation ${promote.generation}); \`dugong-adm clear-promote\` removes it`
      : `promote request pending: ${promote.id} to ${promote.role}, until ${promote.expireTime}`));
  }
  return found;
}

/** Membership: registered peers the state does not know, and election nodes that were skipped. */
function membershipFindings(snapshot: ShardSnapshot, state: ClusterState): Finding[] {
  const known = new Set([state.primary, state.sync, ...state.async, ...state.deposed].flatMap((peer) => (peer === null ? [] : [peer.id])));
  const found = snapshot.active.entries
    .filter((entry) => !known.has(entry.peer.id))
    .map((entry) => warning(`${entry.peer.id} is registered but not in the cluster state yet (the primary adds it as an async)`));
  for (const rejected of snapshot.active.rejected) found.push(warning(`election node ${rejected.nodeName} was skipped: ${rejected.problems.join('; ')}`));
  return found;
}

function primaryFindings(row: ChainRow, state: ClusterState): Finding[] {
  const probe = row.probe;
  if (probe?.kind !== 'up') return [];
  if (probe.inRecovery) return [error(`${name(row)}: PostgreSQL is still in recovery (not promoted)`)];
  const found: Finding[] = [];
  const named = probe.syncStandbyNames.trim().replace(/^"(.*)"$/, '$1');
  const expected = state.sync === null ? '' : applicationNameForPeer(state.sync.id);
  if (named !== expected) {
    found.push(error(`${name(row)}: synchronous_standby_names is ${JSON.stringify(probe.syncStandbyNames)}, the state wants ${JSON.stringify(expected)}`));
  }
  if (probe.readOnly) found.push(warning(`${name(row)}: not accepting writes yet (it waits until its sync has caught up)`));
  return found;
}

/** What the standby itself says: in recovery, and streaming from the peer the chain names. */
function standbySideFindings(row: ChainRow): Finding[] {
  const { probe, upstream } = row;
  if (probe?.kind !== 'up' || upstream === null) return [];
  if (!probe.inRecovery) return [error(`${name(row)}: PostgreSQL is not in recovery: it acts as a primary and may have diverged`)];
  const expected = pgTargetOf(upstream);
  const receiver = probe.receiver;
  if (receiver?.status !== 'streaming') {
    // In recovery without streaming it replays nothing new: the role looks right while writes never reach it.
    const why = receiver === null ? 'no WAL receiver runs' : `its WAL receiver is ${receiver.status}`;
    const message = `peer ${row.peer.id} is a standby (${row.role}) but is not streaming from its upstream ${upstream.id} (${why})`;
    return [{ severity: 'error', message, code: 'DUGONG_ERR_STANDBY_NOT_STREAMING' }];
  }
  if (receiver.senderHost === null) return [];
  if (receiver.senderHost === expected.host && receiver.senderPort === expected.port) return [];
  return [error(`${name(row)}: streams from ${receiver.senderHost}:${receiver.senderPort ?? '?'}, its upstream is ${upstream.id}`)];
}

/** What the upstream says: a walsender for this standby, streaming, and (for the sync) counted as synchronous. */
function upstreamSideFindings(row: ChainRow): Finding[] {
  const { upstream } = row;
  if (upstream === null || !row.upstreamAnswered) return [];
  const repl = row.replication;
  if (repl === null) return [error(`${name(row)}: not streaming from its upstream ${upstream.id} (no pg_stat_replication row there)`)];
  const found: Finding[] = [];
  if (repl.state !== 'streaming') found.push(warning(`${name(row)}: replication from ${upstream.id} is in state ${repl.state}`));
  if (row.role === 'sync' && repl.syncState !== 'sync') {
    found.push(error(`${name(row)}: the primary reports sync_state=${repl.syncState}: commits do not wait for it`));
  }
  return found;
}

function rowFindings(row: ChainRow, state: ClusterState): Finding[] {
  if (row.role === 'deposed') {
    const hint = row.registered ? 'it needs a rebuild before it can rejoin' : 'it is not registered: `dugong-adm reap` removes it from the state';
    return [warning(`${row.peer.id} is deposed: ${hint}`)];
  }
  const found: Finding[] = [];
  if (!row.registered) found.push(error(`${name(row)} is in the cluster state but not registered (sitter down or session lost)`));
  if (row.probe?.kind === 'down') found.push(error(`${name(row)}: PostgreSQL is not reachable at ${row.peer.pgUrl}: ${row.probe.error}`));
  if (row.role === 'primary') return [...found, ...primaryFindings(row, state)];
  return [...found, ...standbySideFindings(row), ...upstreamSideFindings(row)];
}

export function findShardProblems(snapshot: ShardSnapshot, nowMs: number): Finding[] {
  const { read } = snapshot;
  switch (read.kind) {
    case 'absent':
      return [error(`no cluster state at ${snapshot.shardPath}/state: the shard is set up once two peers have registered`)];
    case 'invalid':
      return [error(`the cluster state fails validation: ${read.problems.join('; ')}`)];
    case 'valid': {
      const rows = chainRows(read.state, snapshot.active, snapshot.probes);
      const perRow = rows.flatMap((row) => rowFindings(row, read.state));
      return [...perRow, ...shardFindings(read.state, nowMs), ...membershipFindings(snapshot, read.state)];
    }
  }
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}
