// Election list against real ZooKeeper 3.8: registration order, de-dup by id, one watch event per change, bad nodes skipped.
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZooKeeper, type ZkEnsemble } from '../helpers/zookeeper.js';
import { uniqueName } from '../helpers/scratch.js';
import { CoordinatorPool, clusterState, payload, peerId, rawCall, sleep, withRawClient } from './coord-support.js';

let zk: ZkEnsemble;
const pool = new CoordinatorPool(() => ({ connectString: zk.connectString }));
const shard = (): string => `/dugong-test/${uniqueName('election')}`;
/** Long enough for a stray second watch event to show up on loopback. */
const SETTLE_MS = 400;

beforeAll(async () => {
  zk = await startZooKeeper({ servers: 1 });
});

afterAll(async () => {
  await pool.closeAll();
  await zk?.stop();
});

describe('Coordinator election list (ZooKeeper)', () => {
  it('orders by registration and keeps only the highest seq of a re-registered id', async () => {
    const path = shard();
    const { coordinator: observer, events } = await pool.started(path);
    const { coordinator: first } = await pool.started(path);
    const { coordinator: second } = await pool.started(path);
    const { coordinator: restarted } = await pool.started(path);

    const a = await first.register(peerId(1), payload(1));
    const b = await second.register(peerId(2), payload(2));
    expect(b.seq).toBeGreaterThan(a.seq);
    expect((await observer.activePeers()).entries.map((e) => e.peer.id)).toEqual([peerId(1), peerId(2)]);

    // Peer 1 "restarts": its new session registers while the old one is still alive.
    const again = await restarted.register(peerId(1), payload(1));
    const list = await observer.activePeers();
    expect(list.entries.map((e) => [e.peer.id, e.seq])).toEqual([
      [peerId(2), b.seq],
      [peerId(1), again.seq],
    ]);
    expect(list.entries[1]?.peer).toEqual({ id: peerId(1), ...payload(1) });

    await restarted.close();
    await events.waitFor('active', (l) => l.entries.map((e) => e.nodeName).join() === [a.nodeName, b.nodeName].join());
  });

  it('emits exactly one active event per change, and one state event per write', async () => {
    const path = shard();
    const { coordinator: observer, events } = await pool.started(path);
    const { coordinator: member } = await pool.started(path);
    await sleep(SETTLE_MS);
    const activeBefore = events.count('active');
    const stateBefore = events.count('state');

    const registration = await member.register(peerId(3), payload(3));
    await events.waitFor('active', (l) => l.entries.some((e) => e.nodeName === registration.nodeName));
    // Same id and payload in the same session: idempotent, no new node, no event.
    expect(await member.register(peerId(3), payload(3))).toEqual(registration);
    await sleep(SETTLE_MS);
    expect(events.count('active')).toBe(activeBefore + 1);

    await member.unregister();
    await events.waitFor('active', (l) => l.entries.length === 0);
    await sleep(SETTLE_MS);
    expect(events.count('active')).toBe(activeBefore + 2);

    const created = await observer.createState(clusterState(1, 1, 2));
    await observer.writeState(clusterState(2, 2, 1), created.version);
    await events.waitFor('state', (s) => s.kind === 'valid' && s.state.generation === 2);
    await sleep(SETTLE_MS);
    expect(events.of('state').slice(stateBefore).map((s) => (s.kind === 'valid' ? s.state.generation : s.kind))).toEqual([1, 2]);
  });

  it('re-registering after unregister gets a new node with a higher seq', async () => {
    const path = shard();
    const { coordinator } = await pool.started(path);
    const first = await coordinator.register(peerId(4), payload(4));
    await coordinator.unregister();
    expect(coordinator.registration()).toBeUndefined();
    expect((await coordinator.activePeers()).entries).toEqual([]);
    const second = await coordinator.register(peerId(4), payload(4));
    expect(second.seq).toBeGreaterThan(first.seq);
    expect((await coordinator.activePeers()).entries.map((e) => e.nodeName)).toEqual([second.nodeName]);
  });

  it('skips and reports election nodes with bad names or payloads, without crashing', async () => {
    const path = shard();
    const { coordinator: observer, events } = await pool.started(path);
    const good = await observer.register(peerId(5), payload(5));
    await withRawClient(zk.connectString, async (raw) => {
      const election = `${path}/election`;
      const mode = zookeeper.CreateMode;
      await rawCall((done) => raw.create(`${election}/${peerId(6)}-`, Buffer.from('not json'), mode.EPHEMERAL_SEQUENTIAL, done));
      await rawCall((done) => raw.create(`${election}/${peerId(7)}-`, Buffer.from('{"ip":"x"}'), mode.EPHEMERAL_SEQUENTIAL, done));
      await rawCall((done) => raw.create(`${election}/${peerId(8)}-`, mode.EPHEMERAL_SEQUENTIAL, done));
      await rawCall((done) => raw.create(`${election}/garbage`, Buffer.from(JSON.stringify(payload(9))), done));

      const list = await observer.activePeers();
      expect(list.entries.map((e) => e.nodeName)).toEqual([good.nodeName]);
      const rejected = new Map(list.rejected.map((r) => [r.nodeName.replace(/-\d+$/, ''), r.problems.join('; ')]));
      expect(rejected.get(peerId(6))).toMatch(/not JSON/);
      expect(rejected.get(peerId(7))).toMatch(/zoneId/);
      expect(rejected.get(peerId(8))).toMatch(/not JSON/);
      expect(rejected.get('garbage')).toMatch(/<peerId>-<sequence>/);
      await events.waitFor('active', (l) => l.rejected.length === 4 && l.entries.length === 1);
    });
  });
});
