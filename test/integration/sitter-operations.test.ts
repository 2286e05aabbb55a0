// Planned operations and outages on a real 3-peer shard: handover, a joining async, freeze, ZooKeeper outage, bad state data.
import { readFileSync } from 'node:fs';
import zookeeper from 'node-zookeeper-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createZooKeeperCoordinator, type Coordinator, type ZkCredential } from '../../src/coord/index.js';
import { silentLogger } from '../../src/log.js';
import type { ClusterState } from '../../src/schema/index.js';
import { ShardRun, sleep } from '../helpers/shard-run.js';

let run: ShardRun | undefined;
let admin: Coordinator | undefined;
afterEach(async () => {
  await admin?.close();
  admin = undefined;
  await run?.end();
  run = undefined;
});

async function adminCoordinator(current: ShardRun): Promise<Coordinator> {
  admin = createZooKeeperCoordinator({
    connectString: current.shard.zk.connectString, shardPath: current.shard.shardPath, sessionTimeoutMs: 5_000, log: silentLogger(),
    access: { kind: 'digest', credential: current.shard.zkCredential },
  });
  await admin.start();
  return admin;
}

async function validState(coordinator: Coordinator): Promise<{ state: ClusterState; version: number }> {
  const read = await coordinator.readState();
  if (read.kind !== 'valid') throw new Error(`expected a valid state, got ${read.kind}`);
  return read;
}

/** Writes raw bytes into the state node, bypassing every validation (as a buggy tool might). */
async function writeRawState(connectString: string, path: string, data: Buffer, credential: ZkCredential): Promise<void> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 5_000 });
  // The state node is writable only by the shard's identity.
  client.addAuthInfo('digest', Buffer.from(`${credential.user}:${credential.password}`));
  await new Promise<void>((resolve) => {
    client.once('connected', () => resolve());
    client.connect();
  });
  await new Promise<void>((resolve, reject) => client.setData(path, data, -1, (error) => (error ? reject(error) : resolve())));
  client.close();
}

describe('sitter operations with 3 real peers', () => {
  it('hands over to the sync on SIGTERM of the primary sitter, losing no acknowledged write', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    const peer1 = shard.peer('peer1');
    const exited = new Promise<number | null>((resolve) => peer1.process?.once('exit', (code) => resolve(code)));
    process.kill(shard.sitterPid(peer1), 'SIGTERM');
    await shard.waitForRoles({ peer2: 'primary', peer3: 'sync' }, 60_000);
    expect(await exited, 'the old primary sitter exits cleanly').toBe(0);
    expect(shard.postgresPid(peer1), 'and its PostgreSQL is stopped').toBeUndefined();
    await run.waitForMoreAcks(20);
    await run.verifySafety('peer2');
  });

  it('adds a peer that joins later as an async that replays every row', async () => {
    run = await ShardRun.begin({ started: 2 });
    const { shard } = run;
    await run.waitForMoreAcks(20);
    await shard.startRegistered(shard.peer('peer3'));
    await shard.waitForRoles({ peer1: 'primary', peer2: 'sync', peer3: 'async' }, 90_000);
    await run.waitForMoreAcks(20);
    await run.verifySafety('peer1');
    let missing = await run.writer.missingOn(run.endpoint('peer3'));
    for (let i = 0; i < 50 && missing.length > 0; i += 1) {
      await sleep(200);
      missing = await run.writer.missingOn(run.endpoint('peer3'));
    }
    expect(missing).toEqual([]);
  });

  it('does not fail over while frozen, and does once unfrozen', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    const coordinator = await adminCoordinator(run);
    const { state, version } = await validState(coordinator);
    await coordinator.writeState({ ...state, freeze: { date: new Date().toISOString(), reason: 'integration test' } }, version, { historyGeneration: 0 });
    await shard.waitFor('the freeze to be seen', (s) => s.get('peer2')?.clusterState?.freeze !== undefined, 10_000);
    run.killHost('peer1');
    await sleep(3 * shard.peers[0]!.config.zookeeper.sessionTimeoutMs);
    const frozen = await shard.status(shard.peer('peer2'));
    expect(frozen?.role).toBe('sync');
    expect(frozen?.generation).toBe(1);
    expect(frozen?.waitingReason ?? '').toMatch(/frozen/i);
    const after = await validState(coordinator);
    const { freeze: _freeze, ...unfrozen } = after.state;
    await coordinator.writeState(unfrozen, after.version, { historyGeneration: 0 });
    await shard.waitForRoles({ peer2: 'primary', peer3: 'sync' }, 60_000);
    await run.waitForMoreAcks(20);
    await run.verifySafety('peer2');
  });

  it('keeps the primary writable through a ZooKeeper outage longer than the session timeout, with no failover', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    const sessionTimeoutMs = shard.peers[0]!.config.zookeeper.sessionTimeoutMs;
    await shard.zk.kill(1, 'SIGKILL');
    const acksBefore = run.ackCount();
    await sleep(2 * sessionTimeoutMs + 2_000);
    expect(run.ackCount() - acksBefore, 'writes acknowledged while ZooKeeper was down').toBeGreaterThan(50);
    await shard.zk.restart(1);
    await sleep(2 * sessionTimeoutMs);
    await shard.waitForRoles({ peer1: 'primary', peer2: 'sync', peer3: 'async' }, 30_000);
    expect((await shard.status(shard.peer('peer1')))?.generation, 'no new generation: nobody was demoted').toBe(1);
    await run.verifySafety('peer1');
  });

  it('takes no action on a cluster state that fails validation, says so, and resumes once it is valid again', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    const coordinator = await adminCoordinator(run);
    const { state } = await validState(coordinator);
    const garbage = Buffer.from(JSON.stringify({ ...state, generation: 'two', primary: { id: 'nonsense' } }));
    await writeRawState(shard.zk.connectString, `${shard.shardPath}/state`, garbage, shard.zkCredential);
    await shard.waitFor('the invalid state to be reported', (s) => (s.get('peer1')?.clusterStateProblems?.length ?? 0) > 0, 10_000);
    const report = await shard.status(shard.peer('peer1'));
    expect(report?.clusterStateProblems?.join('\n')).toMatch(/generation/);
    expect(report?.waitingReason ?? '').toMatch(/invalid/i);
    expect(readFileSync(shard.peer('peer1').logPath, 'utf8'), 'the log says why it waits').toMatch(/invalid/i);
    // The sync is lost while the state is unusable: the primary must not write a new generation.
    run.killHost('peer2');
    await sleep(4_000);
    const read = await coordinator.readState();
    expect(read.kind, 'nobody overwrote the invalid state').toBe('invalid');
    await writeRawState(shard.zk.connectString, `${shard.shardPath}/state`, Buffer.from(JSON.stringify(state)), shard.zkCredential);
    await shard.waitForRoles({ peer1: 'primary', peer3: 'sync' }, 60_000);
    expect((await validState(coordinator)).state.generation).toBe(2);
    await run.waitForMoreAcks(20);
    await run.verifySafety('peer1');
  });
});
