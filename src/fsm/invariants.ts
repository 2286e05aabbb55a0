// Structural rules every cluster state must satisfy; a state that breaks one is treated as invalid (no action).
import type { ClusterState, Peer } from '../schema/index.js';

function duplicateIds(state: ClusterState): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  const slots: Array<[string, Peer]> = [
    ['primary', state.primary],
    ...(state.sync === null ? [] : ([['sync', state.sync]] as Array<[string, Peer]>)),
    ...state.async.map((peer, index): [string, Peer] => [`async[${index}]`, peer]),
    ...state.deposed.map((peer, index): [string, Peer] => [`deposed[${index}]`, peer]),
  ];
  for (const [slot, peer] of slots) {
    const earlier = seen.get(peer.id);
    if (earlier === undefined) seen.set(peer.id, slot);
    else problems.push(`peer ${peer.id} appears twice: as ${earlier} and as ${slot}`);
  }
  return problems;
}

function syncProblems(state: ClusterState): string[] {
  if (state.oneNodeWriteMode === true) {
    const problems: string[] = [];
    if (state.sync !== null) problems.push('one-node-write mode has no sync, but sync is set');
    if (state.async.length > 0) problems.push('one-node-write mode has no asyncs, but async is not empty');
    return problems;
  }
  if (state.sync === null && state.async.length > 0) {
    return ['sync is null outside one-node-write mode while asyncs exist'];
  }
  return [];
}

function promoteProblems(state: ClusterState): string[] {
  const promote = state.promote;
  if (promote === undefined) return [];
  if (promote.generation > state.generation) {
    return [`promote request is for generation ${promote.generation}, after the current ${state.generation}`];
  }
  if (promote.generation < state.generation) return [];
  if (promote.role === 'sync') {
    return state.sync?.id === promote.id ? [] : [`promote request names ${promote.id} as sync, but the sync is ${state.sync?.id ?? 'none'}`];
  }
  const target = state.async[promote.asyncIndex ?? -1];
  return target?.id === promote.id
    ? []
    : [`promote request names ${promote.id} as async[${promote.asyncIndex ?? '?'}], but that slot holds ${target?.id ?? 'nobody'}`];
}

/** Every rule the state breaks, as sentences; empty when the state is sound. */
export function checkInvariants(state: ClusterState): string[] {
  const problems = [...duplicateIds(state), ...syncProblems(state), ...promoteProblems(state)];
  if (state.generation < 1) problems.push(`generation ${state.generation} is below 1`);
  return problems;
}
