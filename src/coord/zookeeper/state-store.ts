// The state node: read (optionally arming a watch), create-if-absent and compare-and-set, each with its history node in one multi.
import type { ClusterState } from '../../schema/index.js';
import { coordError, coordErrorKind } from '../coord-errors.js';
import type { StateRead, StateWriteResult } from '../coordinator.js';
import { decodeState, encodeState } from '../state-codec.js';
import { nodeNameOf, type ShardPaths } from './paths.js';
import { CreateMode, type TransactionOp, type TransactionResult, type Watcher, type ZkOps } from './zk-ops.js';

/**
 * Without a watcher: one getData. With a watcher: a data watch when the node exists, else an existence watch
 * (ZooKeeper sets no watch on getData of a missing node), retried if the node appears in between.
 */
export async function readStateNode(ops: ZkOps, statePath: string, watcher?: Watcher): Promise<StateRead> {
  for (;;) {
    try {
      const { data, stat } = await ops.getData(statePath, watcher);
      return decodeState(data, stat.version);
    } catch (error) {
      if (coordErrorKind(error) !== 'no-node') throw error;
    }
    if (watcher === undefined) return { kind: 'absent' };
    // The same watcher function is registered once per path by the library, so looping does not stack it.
    if ((await ops.exists(statePath, watcher)) === null) return { kind: 'absent' };
  }
}

function historyOp(paths: ShardPaths, generation: number, data: Buffer): TransactionOp {
  return { op: 'create', path: `${paths.history}/${generation}-`, data, mode: CreateMode.PERSISTENT_SEQUENTIAL };
}

function historyNodeOf(results: readonly TransactionResult[]): string {
  const path = results[1]?.path;
  if (path === undefined) throw coordError({ kind: 'failed', operation: 'transaction' }, 'no history node in the result');
  return nodeNameOf(path);
}

export async function createStateNode(ops: ZkOps, paths: ShardPaths, state: ClusterState): Promise<StateWriteResult> {
  const data = encodeState(state, 'createState');
  await ops.mkdirp(paths.history);
  const results = await ops.commit([
    { op: 'create', path: paths.state, data, mode: CreateMode.PERSISTENT },
    historyOp(paths, state.generation, data),
  ]);
  return { version: 0, historyNode: historyNodeOf(results) };
}

export async function writeStateNode(
  ops: ZkOps,
  paths: ShardPaths,
  state: ClusterState,
  expectedVersion: number,
  historyGeneration: number,
): Promise<StateWriteResult> {
  const data = encodeState(state, 'writeState');
  const transaction: TransactionOp[] = [
    { op: 'setData', path: paths.state, data, version: expectedVersion },
    historyOp(paths, historyGeneration, data),
  ];
  let results: TransactionResult[];
  try {
    results = await ops.commit(transaction);
  } catch (error) {
    if (coordErrorKind(error) === 'conflict') throw conflict(expectedVersion, error);
    if (coordErrorKind(error) !== 'no-node' || (await ops.exists(paths.state)) === null) throw error;
    // A state written by other tooling may come without a history directory: create it once and retry.
    await ops.mkdirp(paths.history);
    results = await ops.commit(transaction).catch((retryError: unknown) => {
      throw coordErrorKind(retryError) === 'conflict' ? conflict(expectedVersion, retryError) : retryError;
    });
  }
  const version = results[0]?.stat?.version;
  if (version === undefined) throw coordError({ kind: 'failed', operation: 'writeState' }, 'no stat in the result');
  return { version, historyNode: historyNodeOf(results) };
}

function conflict(expectedVersion: number, cause: unknown): Error {
  return coordError(
    { kind: 'conflict', operation: 'writeState', expectedVersion },
    `the state is no longer at version ${expectedVersion}: someone else wrote first`,
    cause,
  );
}
