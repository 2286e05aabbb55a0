// Scenario tests: primary, sync and async loss, isolation, a two-peer shard and fast failover on a dead PostgreSQL.
import { describe, it } from 'vitest';
import { FAILOVER_STORIES } from './stories/failover.js';
import { runStory } from './story.js';

describe('failover', () => {
  for (const story of FAILOVER_STORIES) it(story.title, () => void runStory(story));
});
