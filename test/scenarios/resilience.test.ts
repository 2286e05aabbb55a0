// Scenario tests: what must not cause a failover (coordination outage, sitter restarts) and graceful shutdown.
import { describe, it } from 'vitest';
import { RESILIENCE_STORIES } from './stories/resilience.js';
import { runStory } from './story.js';

describe('resilience', () => {
  for (const story of RESILIENCE_STORIES) it(story.title, () => void runStory(story));
});
