// A real 3-peer shard (ZooKeeper, PostgreSQL, ZFS) fails over without losing an acknowledged write or running two primaries.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { stopPid } from '../helpers/processes.js';
import { ShardRun, sleep } from '../helpers/shard-run.js';
import type { ShardPeer } from '../helpers/shard.js';

let run: ShardRun | undefined;
afterEach(async () => {
  await run?.end();
  run = undefined;
});

function kill(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) throw new Error('no such process');
  process.kill(pid, signal);
}

/** How many times PostgreSQL started on the peer, counted in the server's own log. */
function postgresStarts(peer: ShardPeer): number {
  const logFile = peer.config.postgres.logFile;
  if (logFile === undefined) throw new Error(`${peer.name} has no PostgreSQL log file`);
  return readFileSync(logFile, 'utf8').split('\n').filter((line) => line.includes('LOG:  starting PostgreSQL')).length;
}

describe('sitter failover with 3 real peers', () => {
  it('bootstraps primary, sync and async, with writes acknowledged only through the sync', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    await run.waitForMoreAcks(30);
    const primary = await shard.status(shard.peer('peer1'));
    expect(primary?.clusterState).toMatchObject({ generation: 1, initWal: '0/0' });
    expect(primary?.clusterState?.sync?.id).toBe(shard.peer('peer2').config.ip + `:${shard.peer('peer2').pgPort}:${shard.peer('peer2').config.backupServer.port}`);
    expect((await fetch(`${shard.peer('peer1').statusUrl}/primary`)).status).toBe(200);
    expect((await fetch(`${shard.peer('peer2').statusUrl}/sync`)).status).toBe(200);
    expect((await fetch(`${shard.peer('peer3').statusUrl}/async`)).status).toBe(200);
    expect((await fetch(`${shard.peer('peer2').statusUrl}/primary`)).status).toBe(503);
    const history = (await (await fetch(`${shard.peer('peer1').statusUrl}/history`)).json()) as { entries: Array<{ sentence: string }> };
    expect(history.entries.map((e) => e.sentence).join('\n')).toMatch(/Created generation 1 as primary/);
    await run.verifySafety('peer1');
    // The async replays every acknowledged write too.
    await run.expectEveryAckOn('peer3');
  });

  it('survives kill -9 of the primary postgres', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    kill(shard.postgresPid(shard.peer('peer1')), 'SIGKILL');
    await shard.waitFor('a writable primary again', (s) => [...s.values()].some((x) => x?.role === 'primary' && x.pg.writable && x.pg.healthy), 60_000);
    await run.waitForMoreAcks(20);
    const roles = await shard.roles();
    const finalPrimary = Object.entries(roles).find(([, role]) => role === 'primary')?.[0] ?? 'peer1';
    await run.verifySafety(finalPrimary);
  });

  it('fails over to the sync on host death of the primary (sitter and postgres killed together)', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    const peer1 = shard.peer('peer1');
    run.killHost('peer1');
    await shard.waitForRoles({ peer2: 'primary', peer3: 'sync' }, 60_000);
    await run.waitForMoreAcks(20);
    const state = (await shard.status(shard.peer('peer2')))?.clusterState;
    expect(state?.generation).toBe(2);
    expect(state?.deposed.map((p) => p.zoneId)).toEqual(['peer1']);
    // The old primary comes back deposed and never serves.
    shard.start(peer1);
    await shard.waitFor('peer1 to come back deposed', (s) => s.get('peer1')?.role === 'deposed', 60_000);
    await sleep(2_000);
    await run.verifySafety('peer2');
  });

  it('deposes a primary whose sitter was stopped past the session timeout, never leaving it writable', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    const peer1 = shard.peer('peer1');
    const startsBefore = postgresStarts(peer1);
    kill(shard.sitterPid(peer1), 'SIGSTOP');
    await shard.waitForRoles({ peer2: 'primary', peer3: 'sync' }, 60_000);
    await run.waitForMoreAcks(20);
    kill(shard.sitterPid(peer1), 'SIGCONT');
    await shard.waitFor('peer1 deposed', (s) => s.get('peer1')?.role === 'deposed', 60_000);
    // The product's bound: an operation in flight finishes first (a probe, healthTimeoutMs), then the fast shutdown
    // gets stopTimeoutMs before the postmaster is killed. Usually it is gone within a second.
    const { healthTimeoutMs, stopTimeoutMs } = peer1.config.postgres;
    await expect.poll(() => shard.postgresPid(peer1), {
      timeout: healthTimeoutMs + stopTimeoutMs, interval: 100, message: 'the deposed peer stopped its PostgreSQL',
    }).toBeUndefined();
    await sleep(2_000);
    expect(shard.postgresPid(peer1), 'the deposed peer keeps its PostgreSQL stopped').toBeUndefined();
    // Its sitter's own pause was not mistaken for a PostgreSQL failure: what it stopped is the server it left running.
    expect(postgresStarts(peer1), 'PostgreSQL starts on peer1 since its sitter was stopped').toBe(startsBefore);
    await run.verifySafety('peer2');
  });

  it('replaces a lost sync with the async, in a new generation', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    const peer2 = shard.peer('peer2');
    const pgPid = shard.postgresPid(peer2);
    kill(shard.sitterPid(peer2), 'SIGKILL');
    kill(pgPid, 'SIGKILL');
    await shard.waitForRoles({ peer1: 'primary', peer3: 'sync' }, 60_000);
    await run.waitForMoreAcks(20);
    expect((await shard.status(shard.peer('peer1')))?.clusterState?.generation).toBe(2);
    await run.verifySafety('peer1');
    await stopPid(shard.sitterPid(shard.peer('peer3')), 'SIGKILL');
  });
});
