// One simulated sitter process: the real decide() fed with observations, its actions handed to the executor.
import { initialSitterState, type Observation, type SitterState } from '../../src/fsm/index.js';
import type { Peer } from '../../src/schema/index.js';
import { execute } from './executor.js';
import type { World } from './world.js';

export class SimSitter {
  state: SitterState;
  alive = true;
  sessionId: number | null = null;
  readonly cancelledTimers = new Set<number>();

  constructor(
    private readonly world: World,
    readonly peerIndex: number,
    readonly self: Peer,
  ) {
    this.state = initialSitterState(self, world.fsmConfig);
  }

  deliver(observation: Observation): void {
    if (!this.alive) return;
    const decision = this.world.decide(this.state, observation, this.world.queue.nowMs);
    this.state = decision.state;
    for (const action of decision.actions) {
      if (!this.alive) return;
      execute(this.world, this, action);
    }
  }
}
