// Every operator write: read the state, decide, write by compare-and-set with history generation 0; a lost race is reported, never overwritten.
import { coordErrorKind, type ActiveList, type Coordinator, type StateWriteResult } from '../coord/index.js';
import { DugongError, errorMessage } from '../errors.js';
import type { ClusterState } from '../schema/index.js';

/** What an operator command wants done with the state it read. */
export type Change =
  | { readonly kind: 'write'; readonly next: ClusterState }
  /** Nothing to do (already as asked): reported, exit status 0. */
  | { readonly kind: 'unchanged'; readonly message: string }
  /** A precondition fails: nothing written, DUGONG_ERR_ADM_REFUSED. */
  | { readonly kind: 'refused'; readonly reason: string };

export type ChangeResult =
  | { readonly kind: 'written'; readonly before: ClusterState; readonly after: ClusterState; readonly write: StateWriteResult }
  | { readonly kind: 'unchanged'; readonly state: ClusterState; readonly message: string };

export async function readValidState(coordinator: Coordinator, shardPath: string): Promise<{ state: ClusterState; version: number }> {
  const read = await coordinator.readState();
  switch (read.kind) {
    case 'absent':
      throw new DugongError('DUGONG_ERR_COORD_NO_NODE', `no cluster state at ${shardPath}/state: nothing to change`);
    case 'invalid':
      throw new DugongError('DUGONG_ERR_STATE_INVALID', `the cluster state fails validation (${read.problems.join('; ')}); fix it before changing it`);
    case 'valid':
      return read;
  }
}

function writeFailure(error: unknown): DugongError {
  switch (coordErrorKind(error)) {
    case 'conflict':
      return new DugongError('DUGONG_ERR_COORD_CONFLICT', 'someone else changed the state while this command ran; nothing was written: re-run it', {}, { cause: error });
    case 'no-auth':
      return new DugongError('DUGONG_ERR_COORD_NO_AUTH', `the write needs the shard's ZooKeeper credential (${errorMessage(error)}): give it with -c <sitter.json> or --auth-file <file>; nothing was written`, {}, { cause: error });
    case 'timeout':
    case 'connection-loss':
      return new DugongError('DUGONG_ERR_COORD_TIMEOUT', `the write's outcome is unknown (${errorMessage(error)}); check with \`dugong-adm state\` before re-running`, {}, { cause: error });
    default:
      return error instanceof DugongError ? error : new DugongError('DUGONG_ERR_COORD_FAILED', errorMessage(error), {}, { cause: error });
  }
}

/** Compare-and-set against the version that was read; operator writes go to the history under generation 0 (Manatee's convention). */
export async function writeOperatorState(coordinator: Coordinator, next: ClusterState, expectedVersion: number): Promise<StateWriteResult> {
  try {
    return await coordinator.writeState(next, expectedVersion, { historyGeneration: 0 });
  } catch (error) {
    throw writeFailure(error);
  }
}

export async function changeState(
  coordinator: Coordinator,
  shardPath: string,
  decide: (state: ClusterState, active: ActiveList) => Change,
): Promise<ChangeResult> {
  const [{ state, version }, active] = await Promise.all([readValidState(coordinator, shardPath), coordinator.activePeers()]);
  const change = decide(state, active);
  switch (change.kind) {
    case 'refused':
      throw new DugongError('DUGONG_ERR_ADM_REFUSED', change.reason);
    case 'unchanged':
      return { kind: 'unchanged', state, message: change.message };
    case 'write': {
      const write = await writeOperatorState(coordinator, change.next, version);
      return { kind: 'written', before: state, after: change.next, write };
    }
  }
}
