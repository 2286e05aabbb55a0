// Every row of the transitions table must be applied at least once across the scenario stories and the simulation.
import { describe, expect, it } from 'vitest';
import { TRANSITION_IDS, type TransitionId } from '../../src/fsm/index.js';
import { DEFAULT_STEPS, runSeed } from '../sim/run.js';
import { BOOTSTRAP_STORIES } from './stories/bootstrap.js';
import { FAILOVER_STORIES } from './stories/failover.js';
import { OPERATOR_STORIES } from './stories/operator.js';
import { RESILIENCE_STORIES } from './stories/resilience.js';
import { runStory } from './story.js';

const SIM_SEEDS_FOR_COVERAGE = 300;

describe('transitions table', () => {
  it('has every row applied by some scenario or simulated run', () => {
    const applied = new Map<TransitionId, string>();
    for (const story of [...BOOTSTRAP_STORIES, ...FAILOVER_STORIES, ...OPERATOR_STORIES, ...RESILIENCE_STORIES]) {
      for (const id of runStory(story).transitions()) if (!applied.has(id)) applied.set(id, `story "${story.title}"`);
    }
    for (let seed = 1; seed <= SIM_SEEDS_FOR_COVERAGE; seed += 1) {
      for (const id of runSeed({ seed, steps: DEFAULT_STEPS }).transitions.keys()) if (!applied.has(id)) applied.set(id, `sim seed ${seed}`);
    }
    const never = TRANSITION_IDS.filter((id) => !applied.has(id));
    expect(never, 'rows no scenario or simulated run applied').toEqual([]);
  });
});
