// One seeded simulation: a world shaped by the seed, a safety phase with faults, then the liveness phase.
import type { DecideFn, TransitionId } from '../../src/fsm/index.js';
import { Chaos } from './chaos.js';
import type { Violation } from './checkers.js';
import { runLiveness } from './liveness.js';
import { Rng } from './rng.js';
import { World, type LogRecord } from './world.js';

export interface SeedOptions {
  readonly seed: number;
  /** Events in the safety phase. */
  readonly steps: number;
  readonly decide?: DecideFn;
  readonly livenessBudgetMs?: number;
  /** Keep every log sentence (for --trace). */
  readonly keepLogs?: boolean;
}

export interface SeedResult {
  readonly seed: number;
  readonly peers: number;
  readonly singleton: boolean;
  readonly events: number;
  readonly virtualMs: number;
  readonly commits: number;
  readonly acknowledged: number;
  /** Read answers overtaken by later watch events (the reordering the state machine must absorb). */
  readonly overtakenReads: number;
  readonly violations: readonly Violation[];
  readonly transitions: ReadonlyMap<TransitionId, number>;
  readonly logs: readonly LogRecord[];
}

export const DEFAULT_STEPS = 2500;
/** Seeds the test suite runs, for the correct decide() and as the budget within which each broken variant must be caught. */
export const SIM_SEEDS = 2000;
export const DEFAULT_LIVENESS_BUDGET_MS = 60_000;

/** 2–5 peers (mostly 3), about one world in twenty a configured singleton. */
function shape(seed: number): { peers: number; singleton: boolean } {
  const rng = new Rng(seed ^ 0x5bd1e995);
  const singleton = rng.chance(0.05);
  const peers = singleton ? rng.int(1, 2) : rng.weighted<number>([[1, 2], [5, 3], [2, 4], [1, 5]]);
  return { peers, singleton };
}

/** Half the worlds rebuild deposed peers automatically (drawn apart from the other choices, which stay as they were). */
function rebuildPolicyOf(seed: number): 'manual' | 'auto' {
  return new Rng(seed ^ 0x27d4eb2f).chance(0.5) ? 'auto' : 'manual';
}

/** Peers usually arrive within half a second; sometimes one arrives seconds later. */
function startPeers(world: World): void {
  const late = world.rng.chance(0.2) ? world.rng.int(0, world.peers.length - 1) : -1;
  for (const peer of world.peers) {
    const delayMs = peer.index === late ? world.rng.int(2000, 6000) : world.rng.int(0, 500);
    world.queue.after(delayMs, () => world.startSitter(peer.index));
  }
}

export function runSeed(options: SeedOptions): SeedResult {
  const { peers, singleton } = shape(options.seed);
  const world = new World({
    seed: options.seed,
    peerCount: peers,
    ...(options.decide === undefined ? {} : { decide: options.decide }),
    fsmConfig: { oneNodeWriteMode: singleton, rebuildPolicy: rebuildPolicyOf(options.seed) },
    keepLogs: options.keepLogs ?? false,
  });
  world.start();
  startPeers(world);
  const chaos = new Chaos(world);
  chaos.start();
  world.runEvents(options.steps);
  chaos.stop();
  if (!world.checker.failed) runLiveness(world, options.livenessBudgetMs ?? DEFAULT_LIVENESS_BUDGET_MS);
  return {
    seed: options.seed,
    peers,
    singleton,
    events: world.queue.processed,
    virtualMs: world.nowMs,
    commits: world.client.commits,
    acknowledged: world.client.acked.length,
    overtakenReads: world.coord.overtakenReads,
    violations: world.checker.violations,
    transitions: world.transitions,
    logs: world.logs,
  };
}
