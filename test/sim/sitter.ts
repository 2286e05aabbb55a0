// One simulated sitter process: the production Runner around decide(), with simulated executors, clock and decision log.
import { initialSitterState, type Observation, type SitterState } from '../../src/fsm/index.js';
import { silentLogger } from '../../src/log.js';
import { Runner } from '../../src/runtime/runner.js';
import type { Peer } from '../../src/schema/index.js';
import { SimCoordExecutor } from './coord-executor.js';
import { SimDecisionLog } from './decision-log.js';
import { SimPgExecutor } from './pg-executor.js';
import { SimStorageExecutor } from './storage-executor.js';
import type { World } from './world.js';

/** One silent pino logger for every simulated sitter: building one per process would cost more than the decisions. */
const SILENT = silentLogger();

export class SimSitter {
  alive = true;
  sessionId: number | null = null;
  private readonly runner: Runner;

  constructor(
    world: World,
    readonly peerIndex: number,
    readonly self: Peer,
  ) {
    this.runner = new Runner({
      decide: world.decide,
      initialState: initialSitterState(self, world.fsmConfig),
      coord: new SimCoordExecutor(world, this),
      pg: new SimPgExecutor(world, this),
      storage: new SimStorageExecutor(world, this),
      clock: world.clock,
      log: SILENT,
      history: new SimDecisionLog(self.id, world.recordDecision),
      onExit: () => world.sitterExited(this),
    });
  }

  get state(): SitterState {
    return this.runner.current();
  }

  /** Coordinator events and operator requests reach the runner like the real ones do: queued, decided in order. */
  deliver(observation: Observation): void {
    if (this.alive) this.runner.observe(observation);
  }

  /** The process dies: its timers die with it, results still in flight are dropped by the executors. */
  kill(): void {
    this.alive = false;
    this.runner.stop();
  }
}
