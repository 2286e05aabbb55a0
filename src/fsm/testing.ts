// Test harness only: decide() with deliberately broken behaviours switched on, so the simulator can prove it catches them.
import type { DecideFn } from './decide.js';
import { runDecide } from './engine.js';
import type { Faults } from './faults.js';

export type { Faults } from './faults.js';

/** Never used by production code: the exported `decide` has no faults. */
export function createDecide(faults: Faults): DecideFn {
  const frozen = Object.freeze({ ...faults });
  return (state, observation, nowMs) => runDecide(state, observation, nowMs, frozen);
}
