// New and deposed peers get their data from another peer by themselves: ZFS streams, or pg_basebackup / pg_rewind.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { RestoreSnapshot } from '../../src/http/status-snapshot.js';
import { ShardRun } from '../helpers/shard-run.js';
import type { ShardPeer } from '../helpers/shard.js';

let run: ShardRun | undefined;
afterEach(async () => {
  await run?.end();
  run = undefined;
});

async function restoreOf(peer: ShardPeer): Promise<RestoreSnapshot | null> {
  const response = await fetch(`${peer.statusUrl}/restore`);
  return ((await response.json()) as { restore: RestoreSnapshot | null }).restore;
}

function datasetsOf(pool: string): string[] {
  return execFileSync('zfs', ['list', '-H', '-o', 'name', '-r', pool], { encoding: 'utf8' }).trim().split('\n');
}

/** Host death of peer1 (sitter and postgres killed together); peer2 takes over, peer3 becomes its sync. */
async function killPrimaryHost(current: ShardRun): Promise<ShardPeer> {
  const { shard } = current;
  current.killHost('peer1');
  await shard.waitForRoles({ peer2: 'primary', peer3: 'sync' }, 60_000);
  await current.waitForMoreAcks(20);
  return shard.peer('peer1');
}

describe('bootstrap and rebuild of peers', () => {
  it('a 4th peer joins a shard that holds data: restored from a ZFS stream, async with every row', async () => {
    run = await ShardRun.begin({ peers: 4, started: 3 });
    const { shard } = run;
    await run.waitForMoreAcks(50);
    expect((await restoreOf(shard.peer('peer2')))?.method, 'the sync was seeded by a ZFS stream too').toBe('zfs-full');
    const peer4 = shard.peer('peer4');
    await shard.startRegistered(peer4);
    await shard.waitForRoles({ peer1: 'primary', peer2: 'sync', peer3: 'async', peer4: 'async' }, 120_000);
    const restore = await restoreOf(peer4);
    expect(restore).toMatchObject({ state: 'done', kind: 'seed', method: 'zfs-full' });
    expect(restore?.bytesReceived).toBeGreaterThan(1_000_000);
    await run.waitForMoreAcks(20);
    await run.verifySafety('peer1');
    await run.expectEveryAckOn('peer4');
  });

  it('rebuilds a deposed primary after host death (incremental ZFS stream), keeping its diverged data', async () => {
    run = await ShardRun.begin({ tweak: (raw) => { raw['rebuild'] = 'auto'; } });
    const { shard } = run;
    const peer1 = await killPrimaryHost(run);
    shard.start(peer1);
    await shard.waitForRoles({ peer2: 'primary', peer3: 'sync', peer1: 'async' }, 120_000);
    const restore = await restoreOf(peer1);
    expect(restore).toMatchObject({ state: 'done', kind: 'rebuild', method: 'zfs-incremental' });
    const kept = restore?.keptAs ?? '';
    expect(kept).toMatch(/peer1-isolated-\d+$/);
    expect(datasetsOf(shard.pool.name), 'the diverged data is still there to inspect').toContain(kept);
    const state = (await shard.status(shard.peer('peer2')))?.clusterState;
    expect(state?.deposed).toEqual([]);
    expect(state?.async.map((p) => p.zoneId)).toEqual(['peer1']);
    const history = (await (await fetch(`${peer1.statusUrl}/history`)).json()) as { entries: Array<{ sentence: string }> };
    expect(history.entries.map((e) => e.sentence).join('\n')).toMatch(/removed myself from the deposed list/);
    await run.waitForMoreAcks(20);
    await run.verifySafety('peer2');
    await run.expectEveryAckOn('peer1');
  });

  it('with rebuild manual, a deposed peer waits; a rebuild request (POST /rebuild) brings it back', async () => {
    run = await ShardRun.begin();
    const { shard } = run;
    const peer1 = await killPrimaryHost(run);
    shard.start(peer1);
    await shard.waitFor('peer1 deposed and waiting', (s) => s.get('peer1')?.role === 'deposed' && /dugong-adm rebuild/.test(s.get('peer1')?.waitingReason ?? ''), 60_000);
    expect(shard.postgresPid(peer1)).toBeUndefined();
    const response = await fetch(`${peer1.statusUrl}/rebuild`, { method: 'POST' });
    expect(response.status).toBe(202);
    await shard.waitForRoles({ peer2: 'primary', peer3: 'sync', peer1: 'async' }, 120_000);
    await run.verifySafety('peer2');
    await run.expectEveryAckOn('peer1');
  });

  it('directory storage: standbys bootstrap with pg_basebackup; a deposed primary is rebuilt with pg_rewind', async () => {
    run = await ShardRun.begin({ storage: 'directory', tweak: (raw) => { raw['rebuild'] = 'auto'; } });
    const { shard } = run;
    expect(await restoreOf(shard.peer('peer3'))).toMatchObject({ state: 'done', kind: 'seed', method: 'pg_basebackup' });
    const peer1 = await killPrimaryHost(run);
    shard.start(peer1);
    await shard.waitForRoles({ peer2: 'primary', peer3: 'sync', peer1: 'async' }, 120_000);
    const restore = await restoreOf(peer1);
    expect(restore).toMatchObject({ state: 'done', kind: 'rebuild', method: 'pg_rewind' });
    expect(existsSync(restore?.keptAs ?? '/nonexistent'), 'the diverged WAL is kept').toBe(true);
    await run.waitForMoreAcks(20);
    await run.verifySafety('peer2');
    await run.expectEveryAckOn('peer1');
  });
});
