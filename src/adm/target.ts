// Resolves which shard a command talks to (-z/-s, or from a sitter config -c, -z/-s winning) and as whom (--auth-file, or -c's).
import type { ZkAccess, ZkCredential } from '../coord/index.js';
import { DugongError } from '../errors.js';
import { ZooKeeperConfigSchema, type SitterConfig } from '../schema/sitter-config.js';
import type { ShardTarget } from './types.js';

export interface TargetOptions {
  readonly zk?: string;
  readonly shard?: string;
}

const SHARD_PATH = /^(\/[A-Za-z0-9_.-]+)+$/;
// An operator command is short-lived: a small session is enough, and a dead ZooKeeper is reported quickly.
const SESSION_TIMEOUT_MS = 10_000;
const CALL_TIMEOUT_MS = 5_000;

function usage(message: string): DugongError {
  return new DugongError('DUGONG_ERR_USAGE', message);
}

/** Where a mutation's credential comes from: --auth-file first, else the sitter config's; undefined: none. */
export function authFileFor(authFile: string | undefined, config: SitterConfig | null): string | undefined {
  return authFile ?? config?.zookeeper.authFile;
}

/** With a credential: the shard's identity; a shard run with insecureOpenAcl (-c says so) is written openly; else read-only. */
export function accessFor(credential: ZkCredential | undefined, config: SitterConfig | null): ZkAccess {
  if (credential !== undefined) return { kind: 'digest', credential };
  return config?.zookeeper.insecureOpenAcl === true ? { kind: 'open' } : { kind: 'read-only' };
}

export function resolveTarget(options: TargetOptions, config: SitterConfig | null, access: ZkAccess = { kind: 'read-only' }): ShardTarget {
  const connectString = options.zk ?? config?.zookeeper.connectString;
  const shardPath = options.shard ?? config?.shardPath;
  if (connectString === undefined || shardPath === undefined) {
    throw usage('which shard? give -z <host:port,...> and -s <shard path>, or -c <sitter.json>');
  }
  if (!ZooKeeperConfigSchema.shape.connectString.safeParse(connectString).success) {
    throw usage(`-z ${JSON.stringify(connectString)}: must be "host:port[,host:port...]"`);
  }
  if (!SHARD_PATH.test(shardPath)) throw usage(`-s ${JSON.stringify(shardPath)}: must be a ZooKeeper path like "/dugong/shard1"`);
  return { connectString, shardPath, sessionTimeoutMs: SESSION_TIMEOUT_MS, callTimeoutMs: CALL_TIMEOUT_MS, access };
}
