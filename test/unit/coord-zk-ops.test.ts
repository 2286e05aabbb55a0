// ZkOps sends nothing unauthenticated: not while disconnected (the credential would follow it), no create without an ACL.
import zookeeper, { type Client } from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import { coordErrorKind } from '../../src/coord/index.js';
import { aclFor } from '../../src/coord/zookeeper/acl.js';
import { ZkOps } from '../../src/coord/zookeeper/zk-ops.js';

function fakeClient(state: zookeeper.State): { client: Client; sent: string[] } {
  const sent: string[] = [];
  const client = {
    getState: () => state,
    create: (path: string) => sent.push(`create ${path}`),
    getData: (path: string) => sent.push(`getData ${path}`),
    transaction: () => ({ create: (path: string) => sent.push(`multi create ${path}`), commit: () => sent.push('commit') }),
  } as unknown as Client;
  return { client, sent };
}

async function kindOf(promise: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await promise();
    return 'resolved';
  } catch (error) {
    return coordErrorKind(error);
  }
}

describe('ZkOps', () => {
  it('refuses every op while the client is not connected, as a connection loss', async () => {
    const { client, sent } = fakeClient(zookeeper.State.DISCONNECTED);
    const ops = new ZkOps(client, 1, 'test', () => undefined, aclFor({ kind: 'open' }));
    expect(await kindOf(() => ops.getData('/s/state'))).toBe('connection-loss');
    expect(await kindOf(() => ops.create('/s/x', Buffer.alloc(0), zookeeper.CreateMode.PERSISTENT))).toBe('connection-loss');
    expect(sent).toEqual([]);
  });

  it('creates nothing without an ACL (a read-only coordinator), reads as usual', async () => {
    const { client, sent } = fakeClient(zookeeper.State.SYNC_CONNECTED);
    const ops = new ZkOps(client, 1, 'test', () => undefined, aclFor({ kind: 'read-only' }));
    expect(await kindOf(() => ops.create('/s/x', Buffer.alloc(0), zookeeper.CreateMode.PERSISTENT))).toBe('no-auth');
    expect(await kindOf(() => ops.commit([{ op: 'create', path: '/s/history/0-', data: Buffer.alloc(0), mode: zookeeper.CreateMode.PERSISTENT_SEQUENTIAL }]))).toBe('no-auth');
    void ops.getData('/s/state');
    expect(sent).toEqual(['getData /s/state']);
  });
});
