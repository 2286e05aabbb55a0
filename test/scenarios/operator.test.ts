// Scenario tests: freeze, switchover to the sync, promoting an async, operator edits and invalid states.
import { describe, it } from 'vitest';
import { OPERATOR_STORIES } from './stories/operator.js';
import { runStory } from './story.js';

describe('operator actions', () => {
  for (const story of OPERATOR_STORIES) it(story.title, () => void runStory(story));
});
