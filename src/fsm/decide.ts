// The production failover brain: decide(state, observation, nowMs) → { state, actions }, pure and synchronous.
import type { Decision } from './actions.js';
import { runDecide } from './engine.js';
import { NO_FAULTS } from './faults.js';
import type { Observation } from './observations.js';
import type { SitterState } from './types.js';

export type DecideFn = (state: SitterState, observation: Observation, nowMs: number) => Decision;

export const decide: DecideFn = (state, observation, nowMs) => runDecide(state, observation, nowMs, NO_FAULTS);
