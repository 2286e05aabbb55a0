// The deterministic simulation: thousands of seeded fault schedules against the real decide() and runner, with zero violations.
import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS, runSeed, SIM_SEEDS } from './run.js';

describe('deterministic simulation', () => {
  it(`${SIM_SEEDS} seeds: faults break no safety rule, and every healed shard converges`, () => {
    const startedMs = performance.now();
    const failures: string[] = [];
    let events = 0;
    let overtakenReads = 0;
    for (let seed = 1; seed <= SIM_SEEDS; seed += 1) {
      const result = runSeed({ seed, steps: DEFAULT_STEPS });
      events += result.events;
      overtakenReads += result.overtakenReads;
      for (const violation of result.violations) {
        failures.push(`seed ${seed} (replay: npm run sim -- --seed ${seed}): [${violation.kind}] ${violation.message}`);
      }
    }
    const seconds = (performance.now() - startedMs) / 1000;
    console.info(`sim: ${SIM_SEEDS} seeds, ${events} events, ${failures.length} violations in ${seconds.toFixed(1)} s (${Math.round(events / seconds)} events/s); ${overtakenReads} read answers overtaken by later watch events`);
    expect(failures).toEqual([]);
    // The reordering the state machine must absorb (absorb-coord.ts) really happens in the simulated runs.
    expect(overtakenReads).toBeGreaterThan(100);
  });

  it('replays a seed exactly: same events, commits, acknowledgements and decisions', () => {
    const first = runSeed({ seed: 4242, steps: DEFAULT_STEPS, keepLogs: true });
    const second = runSeed({ seed: 4242, steps: DEFAULT_STEPS, keepLogs: true });
    expect(second.events).toBe(first.events);
    expect(second.commits).toBe(first.commits);
    expect(second.acknowledged).toBe(first.acknowledged);
    expect(second.logs).toEqual(first.logs);
    expect(first.logs.length).toBeGreaterThan(20);
  });
});
