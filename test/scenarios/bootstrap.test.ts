// Scenario tests: bootstrap (peers arriving together and one by one) and explicit singleton mode.
import { describe, it } from 'vitest';
import { BOOTSTRAP_STORIES } from './stories/bootstrap.js';
import { runStory } from './story.js';

describe('bootstrap', () => {
  for (const story of BOOTSTRAP_STORIES) it(story.title, () => void runStory(story));
});
