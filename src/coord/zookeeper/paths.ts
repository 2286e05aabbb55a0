// The znode layout of one shard (Manatee v2 compatible): election directory, state node, history directory.
import { DugongError } from '../../errors.js';

export interface ShardPaths {
  readonly shard: string;
  readonly election: string;
  readonly state: string;
  readonly history: string;
}

/** Rejects paths ZooKeeper would reject later in a less readable way. */
export function shardPaths(shardPath: string): ShardPaths {
  const valid = shardPath.startsWith('/') && shardPath.length > 1 && !shardPath.endsWith('/') && !shardPath.includes('//');
  if (!valid) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `shard path must look like "/manatee/shard1", got ${JSON.stringify(shardPath)}`, {
      shardPath,
    });
  }
  return {
    shard: shardPath,
    election: `${shardPath}/election`,
    state: `${shardPath}/state`,
    history: `${shardPath}/history`,
  };
}

/** The last path segment: ZooKeeper returns full paths from create, children lists hold bare names. */
export function nodeNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
