// The topology client and dugong-adm freeze on a real shard: a frozen shard does not fail over; once unfrozen it does,
// and the client emits the new topology no later than 1 s after the new primary reports itself writable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type TopologyClient } from '../../src/index.js';
import { ShardRun, sleep } from '../helpers/shard-run.js';
import type { ShardPeer } from '../helpers/shard.js';
import { admInProcess, parseJson, rolesByZone, type ShowJson } from './adm-support.js';

let run: ShardRun;
let client: TopologyClient | undefined;
beforeAll(async () => {
  run = await ShardRun.begin();
});
afterAll(async () => {
  await client?.close();
  await run?.end();
});

const pgUrl = (peer: ShardPeer): string => `tcp://postgres@127.0.0.1:${peer.pgPort}/postgres`;

interface Emission {
  readonly urls: readonly string[];
  readonly atMs: number;
}

/** Polls the peer's status API every 20 ms until it is a writable primary; resolves with the first time it said so. */
async function firstWritableAtMs(run: ShardRun, peer: ShardPeer, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await run.shard.status(peer);
    if (status?.role === 'primary' && status.pg.writable) return Date.now();
    await sleep(20);
  }
  throw new Error(`${peer.name} did not become a writable primary within ${timeoutMs} ms`);
}

describe('topology client and freeze on a real shard', () => {
  it('is ready with [primary, sync, async]; freeze blocks the failover; after unfreeze the new topology comes within 1 s', async () => {
    const { shard } = run;
    const [peer1, peer2, peer3] = [shard.peer('peer1'), shard.peer('peer2'), shard.peer('peer3')];
    const emissions: Emission[] = [];
    const errors: string[] = [];
    client = createClient({ shardPath: shard.shardPath, zk: { connectString: shard.zk.connectString, sessionTimeoutMs: 4_000 } });
    client.on('topology', (urls) => emissions.push({ urls, atMs: Date.now() }));
    client.on('error', (error) => errors.push(error.message));
    await new Promise<void>((resolve) => client?.once('ready', () => resolve()));
    await sleep(100);
    expect(emissions.map((e) => e.urls)).toEqual([[pgUrl(peer1), pgUrl(peer2), pgUrl(peer3)]]);

    expect((await admInProcess(shard, ['freeze', '-r', 'client integration test'])).status).toBe(0);
    await shard.waitFor('the freeze to be seen', (s) => s.get('peer2')?.clusterState?.freeze !== undefined, 10_000);
    const pgPid = shard.postgresPid(peer1);
    process.kill(shard.sitterPid(peer1), 'SIGKILL');
    if (pgPid !== undefined) process.kill(pgPid, 'SIGKILL');
    await sleep(3 * peer1.config.zookeeper.sessionTimeoutMs);
    const frozen = parseJson<ShowJson>(await admInProcess(shard, ['show', '--json']));
    expect(frozen.generation, 'no failover while frozen').toBe(1);
    expect(rolesByZone(frozen)).toEqual({ peer1: 'primary', peer2: 'sync', peer3: 'async' });
    expect(frozen.peers[0]?.registered).toBe(false);
    expect((await shard.status(peer2))?.waitingReason ?? '').toMatch(/frozen/i);
    expect(emissions, 'no topology change while frozen').toHaveLength(1);
    expect((await admInProcess(shard, ['verify'])).status, 'verify: the primary is gone').toBe(1);

    const writable = firstWritableAtMs(run, peer2, 60_000);
    expect((await admInProcess(shard, ['unfreeze'])).status).toBe(0);
    const writableAtMs = await writable;
    for (let i = 0; i < 100 && emissions.length < 2; i += 1) await sleep(20);
    const emitted = emissions[1];
    expect(emitted?.urls).toEqual([pgUrl(peer2), pgUrl(peer3)]);
    const delayMs = (emitted?.atMs ?? Infinity) - writableAtMs;
    console.log(`client topology emitted ${delayMs} ms after the new primary reported writable (negative: before)`);
    expect(delayMs).toBeLessThanOrEqual(1_000);

    await shard.waitForRoles({ peer2: 'primary', peer3: 'sync' }, 30_000);
    await run.waitForMoreAcks(20);
    await run.verifySafety('peer2');
    const history = parseJson<{ entries: Array<{ state: { generation: number } | null; notes: string[] }> }>(await admInProcess(shard, ['history', '--json']));
    expect([...new Set(history.entries.map((e) => e.state?.generation))]).toEqual([1, 2]);
    expect(history.entries.flatMap((e) => e.notes)).toContain(`takeover: 127.0.0.1:${peer2.pgPort}:${peer2.config.backupServer.port} replaced primary 127.0.0.1:${peer1.pgPort}:${peer1.config.backupServer.port}, new sync 127.0.0.1:${peer3.pgPort}:${peer3.config.backupServer.port}`);
    expect(emissions).toHaveLength(2);
    expect(errors).toEqual([]);
  });
});
