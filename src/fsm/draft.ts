// The scratchpad one decide() call works on: state replaced by new values, actions appended in order.
import type { Action } from './actions.js';
import type { TransitionId } from './transitions.js';
import type { Faults } from './faults.js';
import type { CoordView, OpId, Pending, PgView, SitterState } from './types.js';

export interface Draft {
  state: SitterState;
  readonly actions: Action[];
  readonly nowMs: number;
  readonly faults: Faults;
}

export function newDraft(state: SitterState, nowMs: number, faults: Faults): Draft {
  return { state, actions: [], nowMs, faults };
}

export function patch(d: Draft, changes: Partial<SitterState>): void {
  d.state = { ...d.state, ...changes };
}

export function patchCoord(d: Draft, changes: Partial<CoordView>): void {
  d.state = { ...d.state, coord: { ...d.state.coord, ...changes } };
}

export function patchPg(d: Draft, changes: Partial<PgView>): void {
  d.state = { ...d.state, pg: { ...d.state.pg, ...changes } };
}

export function patchPending(d: Draft, changes: Partial<Pending>): void {
  d.state = { ...d.state, pending: { ...d.state.pending, ...changes } };
}

export function takeOpId(d: Draft): OpId {
  const opId = d.state.nextOpId;
  patch(d, { nextOpId: opId + 1 });
  return opId;
}

export function emit(d: Draft, action: Action): void {
  d.actions.push(action);
}

export function logInfo(d: Draft, sentence: string, transition: TransitionId | null = null): void {
  emit(d, { kind: 'log', level: 'info', sentence, transition });
}

export function logWarn(d: Draft, sentence: string): void {
  emit(d, { kind: 'log', level: 'warn', sentence, transition: null });
}
