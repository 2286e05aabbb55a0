// Cluster state against real ZooKeeper 3.8: create-if-absent and compare-and-set races, history in the same multi, bad data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordErrorKind, type Coordinator } from '../../src/coord/index.js';
import { DugongError, isDugongError } from '../../src/errors.js';
import type { ClusterState } from '../../src/schema/index.js';
import { startZooKeeper, type ZkEnsemble } from '../helpers/zookeeper.js';
import { uniqueName } from '../helpers/scratch.js';
import { CoordinatorPool, clusterState, rawCall, withRawClient } from './coord-support.js';

let zk: ZkEnsemble;
const pool = new CoordinatorPool(() => ({ connectString: zk.connectString }));
const shard = (): string => `/dugong-test/${uniqueName('state')}`;

beforeAll(async () => {
  zk = await startZooKeeper({ servers: 1 });
});

afterAll(async () => {
  await pool.closeAll();
  await zk?.stop();
});

async function twoWriters(path: string): Promise<[Coordinator, Coordinator]> {
  const [a, b] = await Promise.all([pool.started(path), pool.started(path)]);
  return [a.coordinator, b.coordinator];
}

function generations(history: Awaited<ReturnType<Coordinator['readHistory']>>): (number | string)[] {
  return history.map((h) => (h.record.kind === 'valid' ? h.record.state.generation : h.record.kind));
}

describe('Coordinator cluster state (ZooKeeper)', () => {
  it('create-if-absent race: exactly one creates, the other gets COORD_EXISTS', async () => {
    const path = shard();
    const [a, b] = await twoWriters(path);
    const results = await Promise.allSettled([a.createState(clusterState(1, 1, 2)), b.createState(clusterState(1, 2, 1))]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(isDugongError(lost[0]?.reason, 'DUGONG_ERR_COORD_EXISTS')).toBe(true);
    expect(coordErrorKind(lost[0]?.reason)).toBe('exists');

    const winner = results[0]?.status === 'fulfilled' ? 1 : 2;
    const read = await a.readState();
    expect(read).toMatchObject({ kind: 'valid', version: 0, state: { primary: { id: clusterState(1, winner, 3).primary.id } } });
    const history = await b.readHistory();
    expect(history).toHaveLength(1);
    expect(history[0]?.record).toMatchObject({ kind: 'valid', state: { primary: { id: clusterState(1, winner, 3).primary.id } } });
  });

  it('compare-and-set race (at version 0 and later): exactly one wins, the loser gets the typed conflict', async () => {
    const path = shard();
    const [a, b] = await twoWriters(path);
    let version = (await a.createState(clusterState(1, 1, 2))).version;
    expect(version).toBe(0);
    const winners: string[] = [];
    for (let round = 2; round <= 6; round += 1) {
      // Both decided from the same read; the states differ so the history shows whose write landed.
      const fromA: ClusterState = clusterState(round, 1, 2);
      const fromB: ClusterState = clusterState(round, 2, 1);
      const [ra, rb] = await Promise.allSettled([a.writeState(fromA, version), b.writeState(fromB, version)]);
      const outcomes = [ra, rb];
      expect(outcomes.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = outcomes.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(loser?.reason).toBeInstanceOf(DugongError);
      expect((loser?.reason as DugongError).code).toBe('DUGONG_ERR_COORD_CONFLICT');
      expect((loser?.reason as DugongError).details).toMatchObject({ kind: 'conflict', expectedVersion: version });
      const win = ra.status === 'fulfilled' ? ra.value : rb.status === 'fulfilled' ? rb.value : undefined;
      winners.push(ra.status === 'fulfilled' ? 'a' : 'b');
      expect(win?.version).toBe(version + 1);
      expect(win?.historyNode).toMatch(new RegExp(`^${round}-\\d{10}$`));
      version = win?.version ?? -1;
    }
    const history = await a.readHistory();
    expect(generations(history)).toEqual([1, 2, 3, 4, 5, 6]);
    // Only the winners' states are in the history.
    const primaries = history.slice(1).map((h) => (h.record.kind === 'valid' ? h.record.state.primary.id : ''));
    expect(primaries).toEqual(winners.map((w) => clusterState(0, w === 'a' ? 1 : 2, 3).primary.id));
    expect(await a.readState()).toMatchObject({ kind: 'valid', version: 5, state: { generation: 6 } });
  });

  it('a stale version is a conflict even when it is 0 (the client library would turn 0 into "any")', async () => {
    const path = shard();
    const [a] = await twoWriters(path);
    await a.createState(clusterState(1, 1, 2));
    await a.writeState(clusterState(2, 1, 2), 0);
    await expect(a.writeState(clusterState(3, 1, 2), 0)).rejects.toMatchObject({ code: 'DUGONG_ERR_COORD_CONFLICT' });
    expect(generations(await a.readHistory())).toEqual([1, 2]);
  });

  it('operator writes use history generation 0; a missing state is COORD_NO_NODE; invalid input is refused', async () => {
    const path = shard();
    const [a] = await twoWriters(path);
    await expect(a.writeState(clusterState(1, 1, 2), 0)).rejects.toMatchObject({ code: 'DUGONG_ERR_COORD_NO_NODE' });
    await a.createState(clusterState(1, 1, 2));
    const frozen: ClusterState = { ...clusterState(1, 1, 2), freeze: { date: '2025-01-01T00:00:00Z', reason: 'maintenance' } };
    const write = await a.writeState(frozen, 0, { historyGeneration: 0 });
    expect(write.historyNode).toMatch(/^0-\d{10}$/);
    const broken = { ...clusterState(2, 1, 2), initWal: 'nope' };
    await expect(a.writeState(broken, write.version)).rejects.toMatchObject({ code: 'DUGONG_ERR_STATE_INVALID' });
    expect((await a.readHistory()).map((h) => h.generation)).toEqual([1, 0]);
    expect(await a.readState()).toMatchObject({ kind: 'valid', version: 1, state: { freeze: { reason: 'maintenance' } } });
  });

  it('reads malformed state nodes as invalid (never a crash), and a CAS write repairs them', async () => {
    const path = shard();
    const { coordinator, events } = await pool.started(path);
    await withRawClient(zk.connectString, async (raw) => {
      await rawCall((done) => raw.mkdirp(path, done));
      await rawCall((done) => raw.create(`${path}/state`, Buffer.from('{not json'), done));
      const notJson = await coordinator.readState();
      expect(notJson).toMatchObject({ kind: 'invalid', version: 0, raw: '{not json' });
      expect(notJson.kind === 'invalid' && notJson.problems.join()).toMatch(/not JSON/);

      await rawCall((done) => raw.setData(`${path}/state`, Buffer.from('{"generation":"x"}'), -1, done));
      const badSchema = await coordinator.readState();
      expect(badSchema.kind === 'invalid' && badSchema.problems.join('\n')).toMatch(/generation:.*\n(.|\n)*primary:/);

      await rawCall((done) => raw.setData(`${path}/state`, Buffer.alloc(0), -1, done));
      expect(await coordinator.readState()).toMatchObject({ kind: 'invalid', version: 2, raw: '', problems: ['(root): node is empty'] });
    });
    await events.waitFor('state', (s) => s.kind === 'invalid' && s.version === 2);
    await expect(coordinator.createState(clusterState(1, 1, 2))).rejects.toMatchObject({ code: 'DUGONG_ERR_COORD_EXISTS' });
    // No history directory was made by the foreign writer: writeState creates it and still writes both atomically.
    const repaired = await coordinator.writeState(clusterState(7, 1, 2), 2);
    expect(repaired.version).toBe(3);
    expect(generations(await coordinator.readHistory())).toEqual([7]);
    await events.waitFor('state', (s) => s.kind === 'valid' && s.state.generation === 7);
  });
});
