// The simulated runner's storage check: answers after a short latency, or fails at its deadline while the storage is stalled.
import type { Executor, Report, StorageAction } from '../../src/runtime/runner.js';
import type { SimSitter } from './sitter.js';
import type { World } from './world.js';

export class SimStorageExecutor implements Executor<StorageAction> {
  constructor(
    private readonly world: World,
    private readonly sitter: SimSitter,
  ) {}

  run(action: StorageAction, report: Report): void {
    const { world, sitter } = this;
    const pg = world.pgOf(sitter.peerIndex);
    // The real check runs in a child process under a deadline, so a stalled disk answers "not answering" at that deadline.
    const stalled = world.queue.nowMs < pg.storageStalledUntilMs;
    const delayMs = stalled ? world.timing.storageDeadlineMs : world.rng.between(world.timing.storageCheckMs);
    world.queue.after(delayMs, () => {
      const peer = world.peers[sitter.peerIndex];
      if (peer === undefined || !peer.alive || !sitter.alive) return;
      report(
        stalled
          ? { kind: 'storageChecked', opId: action.opId, result: { kind: 'notAnswering', error: `no answer within ${world.timing.storageDeadlineMs} ms (simulated stall)` } }
          : { kind: 'storageChecked', opId: action.opId, result: { kind: 'answered' } },
      );
    });
  }
}
