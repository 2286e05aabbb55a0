// Issuing coordination operations one at a time, and the readiness test for coordinated decisions.
import type { ClusterState } from '../schema/index.js';
import { emit, patchPending, takeOpId, type Draft } from './draft.js';
import { isPresent } from './roles.js';
import type { WritePurpose } from './types.js';

export function coordIdle(d: Draft): boolean {
  return d.state.pending.coord === null;
}

/**
 * Coordinated decisions need a live session, a fresh read, our own node registered and visible: a sitter
 * that may have been declared gone must not act on what it last saw.
 */
export function coordReady(d: Draft): boolean {
  const coord = d.state.coord;
  return (
    coord.session === 'connected' &&
    coord.fresh &&
    coord.registration.kind === 'registered' &&
    isPresent(coord.active, d.state.self.id)
  );
}

export function mayRetryCoord(d: Draft): boolean {
  const failedAt = d.state.coord.lastFailureAtMs;
  return failedAt === null || d.nowMs - failedAt >= d.state.config.probeIntervalMs;
}

export function register(d: Draft): void {
  const opId = takeOpId(d);
  patchPending(d, { coord: { opId, op: 'register' } });
  emit(d, { kind: 'register', opId });
}

export function unregister(d: Draft): void {
  const opId = takeOpId(d);
  patchPending(d, { coord: { opId, op: 'unregister' } });
  emit(d, { kind: 'unregister', opId });
}

export function readCoordination(d: Draft): void {
  const opId = takeOpId(d);
  patchPending(d, { coord: { opId, op: 'read', watchedState: false, watchedActive: false } });
  emit(d, { kind: 'readCoordination', opId });
}

export interface StateWrite {
  readonly purpose: WritePurpose;
  readonly state: ClusterState;
  readonly sentence: string;
}

/** Create-if-absent when there is no version to compare against, compare-and-set otherwise. */
export function writeState(d: Draft, write: StateWrite, expectedVersion: number | null): void {
  const opId = takeOpId(d);
  patchPending(d, { coord: { opId, op: 'write', ...write } });
  emit(d, {
    kind: 'writeClusterState',
    opId,
    mode: expectedVersion === null ? 'create' : 'cas',
    expectedVersion,
    state: write.state,
  });
}
