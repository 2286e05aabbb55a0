// A scenario as a readable list of steps with its expectations; runStory checks the simulator's safety checkers too.
import { expect } from 'vitest';
import { Scenario, type ScenarioSetup } from './harness.js';

export interface Story {
  readonly title: string;
  readonly setup: ScenarioSetup;
  readonly steps: (s: Scenario) => void;
}

/** Runs the steps; a failure carries the scenario's decision log, which is usually all it takes to see why. */
export function runStory(story: Story): Scenario {
  const scenario = new Scenario(story.setup);
  try {
    story.steps(scenario);
  } catch (error) {
    if (error instanceof Error) error.message += `\n${scenario.trace()}`;
    throw error;
  }
  expect(scenario.violations()).toEqual([]);
  return scenario;
}

/** Three peers started a moment apart (A registers first), run until writes flow with a caught-up sync. */
export function threePeersRunning(s: Scenario): Scenario {
  return s.start('A').run(100).start('B').run(100).start('C').untilConverged();
}

/** The log entry of a transition on one peer (fails the test when the row was not applied there). */
export function sentenceOf(s: Scenario, name: Parameters<Scenario['logs']>[0], transition: string): string {
  const entry = s.logs(name).find((log) => log.transition === transition);
  expect(entry, `${name ?? 'any peer'} applied ${transition}`).toBeDefined();
  return entry?.sentence ?? '';
}
