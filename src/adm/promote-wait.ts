// Waits for a written promote request to be carried out, expire or be dropped: reacts to state changes, polls as a fallback.
import type { Coordinator } from '../coord/index.js';
import type { Clock } from '../platform/clock.js';
import type { PromoteRequest } from '../schema/index.js';
import { promoteOutcome, type PromoteOutcome } from './promote-outcome.js';

// The sitters' clocks may run a little behind ours: give the request this long past its expiry before calling it dead.
const EXPIRY_GRACE_MS = 2_000;
const POLL_INTERVAL_MS = 500;

export async function waitForPromote(coordinator: Coordinator, clock: Clock, request: PromoteRequest): Promise<Exclude<PromoteOutcome, { kind: 'pending' }>> {
  let wake: (() => void) | undefined;
  // A state event ends the current pause at once, so the outcome is seen as soon as it is written.
  const unsubscribe = coordinator.on('state', () => wake?.());
  try {
    for (;;) {
      const outcome = promoteOutcome(await coordinator.readState(), request, clock.now() - EXPIRY_GRACE_MS);
      if (outcome.kind !== 'pending') return outcome;
      await new Promise<void>((resolve) => {
        const timer = clock.setTimer(POLL_INTERVAL_MS, resolve);
        wake = () => {
          timer.cancel();
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    unsubscribe();
  }
}
