// The simulated runner's coordination executor: register, unregister, read and write against the simulated coordinator.
import type { CoordAction } from '../../src/runtime/coord-effects.js';
import type { Executor, Report } from '../../src/runtime/runner.js';
import type { SimSitter } from './sitter.js';
import type { World } from './world.js';

export class SimCoordExecutor implements Executor<CoordAction> {
  constructor(
    private readonly world: World,
    private readonly sitter: SimSitter,
  ) {}

  run(action: CoordAction, report: Report): void {
    const { world, sitter } = this;
    const coord = world.coord;
    // A dead process hears nothing back.
    const deliver: Report = (observation) => {
      if (sitter.alive) report(observation);
    };
    const failed = (error: string) => ({ kind: 'coordOpFailed', opId: action.opId, error }) as const;
    switch (action.kind) {
      case 'register':
        coord.request(sitter, deliver, (sessionId) => ({ kind: 'registerOk', opId: action.opId, seq: coord.register(sitter.self, sessionId) }), failed);
        return;
      case 'unregister':
        coord.request(sitter, deliver, (sessionId) => {
          coord.unregister(sitter.self.id, sessionId);
          return { kind: 'unregisterOk', opId: action.opId };
        }, failed);
        return;
      case 'readCoordination':
        coord.requestRead(sitter, deliver, () => ({ kind: 'coordSnapshot', opId: action.opId, cluster: coord.clusterData(), active: coord.activeEntries() }), failed);
        return;
      case 'writeClusterState':
        coord.request(
          sitter,
          deliver,
          () => {
            const outcome = coord.write(sitter.peerIndex, action.mode, action.expectedVersion, action.state);
            return outcome.ok ? { kind: 'stateWriteOk', opId: action.opId, version: outcome.version } : { kind: 'stateWriteConflict', opId: action.opId };
          },
          (error) => ({ kind: 'stateWriteError', opId: action.opId, error }),
        );
        return;
      default:
        assertNever(action);
    }
  }
}

function assertNever(value: never): never {
  throw new TypeError(`the simulator cannot execute ${JSON.stringify(value)}`);
}
