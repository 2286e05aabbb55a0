// Named timers for the state machine: one per name, replaced when set again, each firing carries its token.
import type { Clock, TimerHandle } from '../platform/clock.js';
import type { OpId, TimerName } from '../fsm/index.js';

export type TimerFired = (timer: TimerName, token: OpId) => void;

export class NamedTimers {
  private readonly handles = new Map<TimerName, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly fired: TimerFired,
  ) {}

  set(timer: TimerName, token: OpId, delayMs: number): void {
    this.handles.get(timer)?.cancel();
    const handle = this.clock.setTimer(delayMs, () => {
      if (this.handles.get(timer) === handle) this.handles.delete(timer);
      this.fired(timer, token);
    });
    this.handles.set(timer, handle);
  }

  cancel(timer: TimerName): void {
    this.handles.get(timer)?.cancel();
    this.handles.delete(timer);
  }

  cancelAll(): void {
    for (const handle of this.handles.values()) handle.cancel();
    this.handles.clear();
  }
}
