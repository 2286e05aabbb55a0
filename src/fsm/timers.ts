// Arming and cancelling named timers; a firing whose token no longer matches is stale and ignored.
import { emit, patch, takeOpId, type Draft } from './draft.js';
import type { TimerName } from './types.js';

export function armTimer(d: Draft, timer: TimerName, delayMs: number): void {
  const token = takeOpId(d);
  patch(d, { timers: { ...d.state.timers, [timer]: token } });
  emit(d, { kind: 'setTimer', timer, token, delayMs });
}

export function cancelTimer(d: Draft, timer: TimerName): void {
  const token = d.state.timers[timer];
  if (token === undefined) return;
  const timers = { ...d.state.timers };
  delete timers[timer];
  patch(d, { timers });
  emit(d, { kind: 'cancelTimer', timer, token });
}

export function isArmed(d: Draft, timer: TimerName): boolean {
  return d.state.timers[timer] !== undefined;
}

/** Arms the timer unless it is already running (for deadlines that must not be pushed back). */
export function ensureTimer(d: Draft, timer: TimerName, delayMs: number): void {
  if (!isArmed(d, timer)) armTimer(d, timer, delayMs);
}

/** Consumes a firing: true when it is the live timer of that name (which is then disarmed). */
export function consumeTimer(d: Draft, timer: TimerName, token: number): boolean {
  if (d.state.timers[timer] !== token) return false;
  const timers = { ...d.state.timers };
  delete timers[timer];
  patch(d, { timers });
  return true;
}
