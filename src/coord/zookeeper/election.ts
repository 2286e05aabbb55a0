// Election directory operations: read the active list (optionally arming the child watch), create and remove our nodes.
import type { ElectionPayload, PeerId } from '../../schema/index.js';
import { coordErrorKind } from '../coord-errors.js';
import type { ActiveList } from '../coordinator.js';
import { buildActiveList, selectCandidates, type PayloadRead } from './election-names.js';
import { nodeNameOf } from './paths.js';
import { CreateMode, type Watcher, type ZkOps } from './zk-ops.js';

async function readPayload(ops: ZkOps, path: string): Promise<PayloadRead> {
  try {
    const { data } = await ops.getData(path);
    return { kind: 'data', data };
  } catch (error) {
    // Listed a moment ago, deleted since: that peer is simply not active any more.
    if (coordErrorKind(error) === 'no-node') return { kind: 'gone' };
    throw error;
  }
}

/** With a watcher, the one-shot child watch is (re-)armed by the same getChildren that produced the list. */
export async function readActiveList(ops: ZkOps, electionPath: string, watcher?: Watcher): Promise<ActiveList> {
  const names = await ops.getChildren(electionPath, watcher);
  const selection = selectCandidates(names);
  const payloads = await Promise.all(selection.candidates.map((c) => readPayload(ops, `${electionPath}/${c.nodeName}`)));
  return buildActiveList(selection, payloads);
}

/** Returns the new node's name, `<id>-<10-digit seq>`. */
export async function createElectionNode(ops: ZkOps, electionPath: string, id: PeerId, payload: ElectionPayload): Promise<string> {
  await ops.mkdirp(electionPath);
  const data = Buffer.from(JSON.stringify(payload), 'utf8');
  return nodeNameOf(await ops.create(`${electionPath}/${id}-`, data, CreateMode.EPHEMERAL_SEQUENTIAL));
}

async function removeIfGone(ops: ZkOps, path: string): Promise<void> {
  try {
    await ops.remove(path);
  } catch (error) {
    if (coordErrorKind(error) !== 'no-node') throw error;
  }
}

/**
 * Removes every election node owned by this client's session except `keep`. A create whose reply was lost
 * (connection loss) may still have made a node; without this sweep it would outlive `unregister()`.
 * Returns the names removed.
 */
export async function removeOwnNodes(ops: ZkOps, electionPath: string, keep?: string): Promise<string[]> {
  const sessionId = ops.client.getSessionId();
  let names: string[];
  try {
    names = await ops.getChildren(electionPath);
  } catch (error) {
    if (coordErrorKind(error) === 'no-node') return [];
    throw error;
  }
  const others = names.filter((name) => name !== keep);
  const stats = await Promise.all(others.map((name) => ops.exists(`${electionPath}/${name}`)));
  const own = others.filter((_, index) => stats[index]?.ephemeralOwner.equals(sessionId) === true);
  await Promise.all(own.map((name) => removeIfGone(ops, `${electionPath}/${name}`)));
  return own;
}

export async function removeElectionNode(ops: ZkOps, electionPath: string, nodeName: string): Promise<void> {
  await removeIfGone(ops, `${electionPath}/${nodeName}`);
}
