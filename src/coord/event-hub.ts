// A small typed event hub for Coordinator events; a throwing listener is reported, never allowed to break the backend.
import type { CoordinatorEventName, CoordinatorEvents, CoordinatorListener, Unsubscribe } from './coordinator.js';

type ListenerSets = { [E in CoordinatorEventName]: Set<CoordinatorListener<E>> };

export class EventHub {
  private readonly listeners: ListenerSets = { active: new Set(), state: new Set(), session: new Set() };

  constructor(private readonly onListenerError: (event: CoordinatorEventName, error: unknown) => void) {}

  on<E extends CoordinatorEventName>(event: E, listener: CoordinatorListener<E>): Unsubscribe {
    const set = this.listeners[event] as Set<CoordinatorListener<E>>;
    // Wrap so that registering the same function twice yields two independent subscriptions.
    const wrapped: CoordinatorListener<E> = (payload) => listener(payload);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  }

  emit<E extends CoordinatorEventName>(event: E, payload: CoordinatorEvents[E]): void {
    const set = this.listeners[event] as Set<CoordinatorListener<E>>;
    for (const listener of [...set]) {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    }
  }

  clear(): void {
    for (const set of Object.values(this.listeners)) set.clear();
  }
}
