// ZooKeeper digest auth and ACLs against real ZooKeeper 3.8: only the shard's identity writes, everyone reads.
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type TopologyClient } from '../../src/client/index.js';
import { coordErrorKind, digestIdOf, type Coordinator } from '../../src/coord/index.js';
import { uniqueName } from '../helpers/scratch.js';
import { TEST_ZK_CREDENTIAL, digestAccess, freshZkCredential } from '../helpers/zk-auth.js';
import { startZooKeeper, type ZkEnsemble } from '../helpers/zookeeper.js';
import { CoordinatorPool, clusterState, payload, peerId, rawCall, sleep, withRawClient } from './coord-support.js';

let zk: ZkEnsemble;
const pool = new CoordinatorPool(() => ({ connectString: zk.connectString }));
const shard = (): string => `/dugong-acl/${uniqueName('acl')}`;
const clients: TopologyClient[] = [];

beforeAll(async () => {
  zk = await startZooKeeper({ servers: 1 });
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await pool.closeAll();
  await zk?.stop();
});

/** A shard as a sitter leaves it: state generation 1 and one registered peer, written by the shard's identity. */
async function securedShard(path: string): Promise<{ sitter: Coordinator; version: number }> {
  const { coordinator: sitter } = await pool.started(path);
  const { version } = await sitter.createState(clusterState(1, 1, 2));
  await sitter.register(peerId(1), payload(1));
  return { sitter, version };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (error: unknown) => error);
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('ZooKeeper ACLs of a shard', () => {
  it('creates every znode with ALL for the shard digest and READ for world:anyone', async () => {
    const path = shard();
    const { sitter } = await securedShard(path);
    const nodes = ['/dugong-acl', path, `${path}/election`, `${path}/state`, `${path}/history`, `${path}/history/${(await sitter.readHistory())[0]?.nodeName ?? '?'}`, `${path}/election/${sitter.registration()?.nodeName ?? '?'}`];
    const expected = [
      { perms: zookeeper.Permission.ALL, scheme: 'digest', id: digestIdOf(TEST_ZK_CREDENTIAL) },
      { perms: zookeeper.Permission.READ, scheme: 'world', id: 'anyone' },
    ];
    await withRawClient(zk.connectString, async (raw) => {
      for (const node of nodes) {
        const acls = await rawCall<zookeeper.ACL[]>((done) => raw.getACL(node, (e, list) => done(e, list)));
        // The library's ACL objects carry `permission` (the typings say `perms`).
        const seen = (acls ?? []).map((a) => ({ perms: (a as unknown as { permission: number }).permission, scheme: a.id.scheme, id: a.id.id }));
        expect(seen, node).toEqual(expected);
      }
      // Authenticated: ZooKeeper masks the digest's hash ("user:x") to clients without ADMIN on the node.
    });
  });

  it('refuses a client without the credential: NoAuth on writing /state, creating or deleting an election node', async () => {
    const path = shard();
    const { sitter } = await securedShard(path);
    const own = sitter.registration()?.nodeName ?? '?';
    await withRawClient(zk.connectString, async (raw) => {
      const state = caught(rawCall((done) => raw.setData(`${path}/state`, Buffer.from('{}'), -1, (e) => done(e))));
      const forged = caught(rawCall((done) => raw.create(`${path}/election/10.0.0.9:5432:12345-`, Buffer.from('{}'), zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, (e) => done(e))));
      const removed = caught(rawCall((done) => raw.remove(`${path}/election/${own}`, -1, (e) => done(e))));
      const history = caught(rawCall((done) => raw.create(`${path}/history/9-`, Buffer.from('{}'), zookeeper.CreateMode.PERSISTENT_SEQUENTIAL, (e) => done(e))));
      for (const error of await Promise.all([state, forged, removed, history])) {
        expect((error as { code?: number } | undefined)?.code).toBe(zookeeper.Exception.NO_AUTH);
      }
    }, false);
    expect((await sitter.activePeers()).entries.map((e) => e.peer.id)).toEqual([peerId(1)]);
  });

  it('refuses a Coordinator with no or another credential with COORD_NO_AUTH, and it can still read', async () => {
    const path = shard();
    const { version } = await securedShard(path);
    for (const access of [{ kind: 'open' } as const, digestAccess(freshZkCredential('intruder'))]) {
      const { coordinator } = await pool.started(path, { access });
      expect((await coordinator.readState()).kind).toBe('valid');
      const write = await caught(coordinator.writeState(clusterState(2, 2, 1), version));
      expect(coordErrorKind(write), access.kind).toBe('no-auth');
      expect(write).toMatchObject({ code: 'DUGONG_ERR_COORD_NO_AUTH' });
      expect(coordErrorKind(await caught(coordinator.register(peerId(9), payload(9))))).toBe('no-auth');
    }
  });

  it('lets a read-only Coordinator read without creating anything, and see the shard appear', async () => {
    const path = shard();
    const { coordinator: reader, events } = await pool.started(path, { access: { kind: 'read-only' } });
    expect((await reader.readState()).kind).toBe('absent');
    await withRawClient(zk.connectString, async (raw) => {
      expect(await rawCall((done) => raw.exists(path, (e, stat) => done(e, stat)))).toBeNull();
    });
    expect(coordErrorKind(await caught(reader.createState(clusterState(1, 1, 2))))).toBe('no-auth');
    await securedShard(path);
    await events.waitFor('active', (list) => list.entries.some((e) => e.peer.id === peerId(1)));
    await events.waitFor('state', (read) => read.kind === 'valid' && read.state.generation === 1);
  });

  it('keeps a topology client (no credential) following the topology an authenticated sitter writes', async () => {
    const path = shard();
    const { sitter, version } = await securedShard(path);
    const seen: string[][] = [];
    const client = createClient({ shardPath: path, zk: { connectString: zk.connectString, sessionTimeoutMs: 4_000 } });
    clients.push(client);
    client.on('topology', (urls) => seen.push(urls));
    await until('the first topology', () => seen.length > 0);
    expect(seen[0]?.[0]).toContain('10.0.0.1');
    await sitter.writeState(clusterState(2, 2, 1), version);
    await until('the new primary', () => seen.at(-1)?.[0]?.includes('10.0.0.2') === true);
  });

  it('authenticates again after a reconnection: a write after a ZooKeeper restart succeeds', async () => {
    const path = shard();
    const { sitter, version } = await securedShard(path);
    await zk.kill(1);
    await zk.restart(1);
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await sitter.writeState(clusterState(2, 2, 1), version);
        break;
      } catch (error) {
        expect(coordErrorKind(error), 'never refused for auth').not.toBe('no-auth');
        if (Date.now() > deadline) throw error;
        await sleep(200);
      }
    }
    expect((await sitter.readState()).kind).toBe('valid');
  });
});
