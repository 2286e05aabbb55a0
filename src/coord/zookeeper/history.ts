// Reads `<shardPath>/history`: every state ever written, in write order.
import type { Logger } from '../../log.js';
import { coordErrorKind } from '../coord-errors.js';
import type { HistoryEntry } from '../coordinator.js';
import { decodeState } from '../state-codec.js';
import { orderHistoryNames, type HistoryName } from './history-names.js';
import type { ZkOps } from './zk-ops.js';

async function readEntry(ops: ZkOps, historyPath: string, name: HistoryName): Promise<HistoryEntry | undefined> {
  try {
    const { data, stat } = await ops.getData(`${historyPath}/${name.nodeName}`);
    return { ...name, record: decodeState(data, stat.version) };
  } catch (error) {
    // Removed between listing and reading (manual pruning): not part of the history any more.
    if (coordErrorKind(error) === 'no-node') return undefined;
    throw error;
  }
}

export async function readHistoryEntries(ops: ZkOps, historyPath: string, log: Logger): Promise<HistoryEntry[]> {
  let children: string[];
  try {
    children = await ops.getChildren(historyPath);
  } catch (error) {
    if (coordErrorKind(error) === 'no-node') return [];
    throw error;
  }
  const { names, unparsable } = orderHistoryNames(children);
  if (unparsable.length > 0) log.warn({ historyPath, unparsable }, 'skipping history nodes whose names are not <generation>-<seq>');
  const entries = await Promise.all(names.map((name) => readEntry(ops, historyPath, name)));
  return entries.filter((entry): entry is HistoryEntry => entry !== undefined);
}
