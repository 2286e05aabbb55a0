// The shard's ZooKeeper credential for tests and tools: a fresh strong `user:password`, written to a mode-600 file.
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import type { ZkAccess, ZkCredential } from '../../src/coord/index.js';

export function freshZkCredential(user = 'dugong'): ZkCredential {
  return { user, password: randomBytes(24).toString('hex') };
}

/** Writes `user:password` to `path` (mode 600 even when the file existed) and returns the credential. */
export function writeZkAuthFile(path: string, credential: ZkCredential = freshZkCredential()): ZkCredential {
  writeFileSync(path, `${credential.user}:${credential.password}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return credential;
}

export function digestAccess(credential: ZkCredential): ZkAccess {
  return { kind: 'digest', credential };
}

/** The credential the Coordinator integration tests run with (their shards are not sitter shards). */
export const TEST_ZK_CREDENTIAL: ZkCredential = { user: 'dugong-test', password: 'test-zk-password-0123456789-abcdef' };
