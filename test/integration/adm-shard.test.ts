// dugong-adm against a real 3-peer shard (ZooKeeper + PostgreSQL): show, pg-status, verify, freeze, promote, history, rebuild, reap.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ShardRun, sleep } from '../helpers/shard-run.js';
import { admInProcess, admProcess, parseJson, rolesByZone, type ShowJson } from './adm-support.js';

let run: ShardRun;
beforeAll(async () => {
  run = await ShardRun.begin();
});
afterAll(async () => {
  await run?.end();
});

async function onPeer<T>(port: number, sql: string): Promise<T[]> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

interface PgStatusJson {
  readonly peers: ReadonlyArray<{ role: string; id: string; pg: string; replState: string | null; syncState: string | null; lagBytes: number | null; replayLsn: string | null }>;
}

describe('dugong-adm on a real shard', () => {
  it('show and pg-status report the roles, replication states and lag', async () => {
    const { shard } = run;
    const show = await admInProcess(shard, ['show', '--json']);
    expect(show.status).toBe(0);
    const view = parseJson<ShowJson>(show);
    expect(rolesByZone(view)).toEqual({ peer1: 'primary', peer2: 'sync', peer3: 'async' });
    expect(view.peers.map((p) => [p.pg, p.replState, p.syncState])).toEqual([['up', null, null], ['up', 'streaming', 'sync'], ['up', 'streaming', 'async']]);
    expect(view.peers.slice(1).every((p) => p.lagBytes !== null && p.lagBytes >= 0)).toBe(true);
    const text = await admInProcess(shard, ['show']);
    expect(text.out).toMatch(/^generation: +1 \(initWal 0\/0\)$/m);
    expect(text.out).toMatch(/^sync +127\.0\.0\.1:\d+:\d+ +tcp:\/\/postgres@127\.0\.0\.1:\d+\/postgres +streaming\/sync +\d+$/m);

    // Pause replay on the async: its lag must grow while the writer goes on, and the sync's must not.
    const peer3Port = shard.peer('peer3').pgPort;
    await onPeer(peer3Port, 'SELECT pg_wal_replay_pause()');
    await run.waitForMoreAcks(50);
    const paused = parseJson<PgStatusJson>(await admInProcess(shard, ['pg-status', '--json']));
    const [primary, sync, async] = paused.peers;
    expect([primary?.role, sync?.role, async?.role]).toEqual(['primary', 'sync', 'async']);
    expect(paused.peers.every((p) => p.pg === 'up')).toBe(true);
    expect(async?.lagBytes, 'the paused async is behind').toBeGreaterThan(3_000);
    expect(sync?.lagBytes ?? Infinity, 'the sync keeps up').toBeLessThan(async?.lagBytes ?? 0);
    await onPeer(peer3Port, 'SELECT pg_wal_replay_resume()');
    const table = await admInProcess(shard, ['pg-status', '0.2', '2']);
    expect(table.out.match(/^ROLE +PEER +PG +REPL +SENT +FLUSH +REPLAY +LAG$/gm)).toHaveLength(2);
    expect(table.out).toMatch(/^async +127\.0\.0\.1:\d+:\d+ +ok +streaming\/async +[0-9A-F]+\/[0-9A-F]+ /m);
  });

  it('verify exits 0 on the healthy chain', async () => {
    const verify = await admInProcess(run.shard, ['verify']);
    expect(verify.out).toBe('ok: the replication chain is as the cluster state says\n');
    expect(verify.status).toBe(0);
  });

  it('freezes (as a real process), refuses to promote while frozen, unfreezes', async () => {
    const { shard } = run;
    const frozen = await admProcess(shard, ['freeze', '-r', 'adm integration test']);
    expect(frozen.err).toBe('');
    expect(frozen.status).toBe(0);
    const state = parseJson<{ state: { freeze?: { reason: string } } }>(await admInProcess(shard, ['state', '--json']));
    expect(state.state.freeze?.reason).toBe('adm integration test');
    const refused = await admInProcess(shard, ['promote', '-n', 'peer2', '-r', 'sync']);
    expect(refused.status).toBe(1);
    expect(refused.err).toMatch(/DUGONG_ERR_ADM_REFUSED: the shard is frozen \(adm integration test\)/);
    expect((await admInProcess(shard, ['unfreeze'])).out).toMatch(/^unfrozen \(was frozen since/);
  });

  it('reads without the shard credential; a change without it is refused by ZooKeeper and writes nothing', async () => {
    const { shard } = run;
    const before = await admInProcess(shard, ['state', '--json'], false);
    expect(before.status, before.err).toBe(0);
    const refused = await admInProcess(shard, ['freeze', '-r', 'no credential'], false);
    expect(refused.status).toBe(1);
    expect(refused.err).toMatch(/DUGONG_ERR_COORD_NO_AUTH: .*--auth-file/);
    expect((await admInProcess(shard, ['state', '--json'], false)).out).toBe(before.out);
  });

  it('promote -r async makes async 0 the sync (the old sync takes its place)', async () => {
    const { shard } = run;
    const promote = await admInProcess(shard, ['promote', '-n', 'peer3', '-r', 'async', '-i', '0']);
    expect(promote.err).toBe('');
    expect(promote.status).toBe(0);
    expect(promote.out).toMatch(/^done: generation 2: primary 127\.0\.0\.1:\d+:\d+, sync 127\.0\.0\.1:\d+:\d+, async 127\.0\.0\.1:\d+:\d+$/m);
    await shard.waitForRoles({ peer1: 'primary', peer3: 'sync', peer2: 'async' }, 30_000);
    await run.waitForMoreAcks(20);
  });

  it('promote -r sync moves the primary to the sync with no acknowledged write lost', async () => {
    const { shard } = run;
    const acksBefore = run.ackCount();
    const promote = await admInProcess(shard, ['promote', '-n', 'peer3', '-r', 'sync']);
    expect(promote.err).toBe('');
    expect(promote.status).toBe(0);
    expect(promote.out).toMatch(/^requested: 127\.0\.0\.1:\d+:\d+ to become primary \(\d+ bytes behind the primary\)/);
    expect(promote.out).toMatch(/^done: generation 3: primary 127\.0\.0\.1:\d+:\d+, sync 127\.0\.0\.1:\d+:\d+, async none; deposed /m);
    expect(promote.out).toMatch(/^writes accepted \d+ ms after the new generation was seen$/m);
    await shard.waitForRoles({ peer3: 'primary', peer2: 'sync' }, 30_000);
    await run.waitForMoreAcks(20);
    expect(run.writer.acks.slice(acksBefore).some((ack) => ack.peer === 'peer3'), 'writes moved to the new primary').toBe(true);
    await run.verifySafety('peer3');
    const view = parseJson<ShowJson>(await admInProcess(shard, ['show', '--json']));
    expect(rolesByZone(view)).toEqual({ peer3: 'primary', peer2: 'sync', peer1: 'deposed' });
  });

  it('history lists every write: both generations and the operator writes, without anomalies', async () => {
    const history = parseJson<{ entries: Array<{ writer: string; state: { generation: number } | null; notes: string[]; anomalies: string[] }> }>(
      await admInProcess(run.shard, ['history', '-j']),
    );
    const { entries } = history;
    expect([...new Set(entries.map((e) => e.state?.generation))]).toEqual([1, 2, 3]);
    const notes = entries.flatMap((e) => e.notes).join('\n');
    for (const expected of ['first state (bootstrap)', 'frozen at', 'unfrozen', 'promote requested', 'async promoted to sync (promote request)', 'switchover (promote request)']) {
      expect(notes).toContain(expected);
    }
    expect(entries.filter((e) => e.writer === 'operator')).toHaveLength(4);
    expect(entries.flatMap((e) => e.anomalies)).toEqual([]);
    const text = await admInProcess(run.shard, ['history']);
    expect(text.out).toMatch(/^\d+ writes, 0 anomalies/m);
  });

  it('reap removes a deposed peer once it is gone; rebuild brings the returning old primary back as an async', async () => {
    const { shard } = run;
    const peer1 = shard.peer('peer1');
    expect((await admInProcess(shard, ['-c', shard.peer('peer3').configPath, 'rebuild'])).err).toMatch(/is primary, not deposed/);
    expect((await admInProcess(shard, ['reap'])).out).toMatch(/^nothing to reap: every deposed peer is still registered/);
    process.kill(shard.sitterPid(peer1), 'SIGKILL');
    const id = `127.0.0.1:${peer1.pgPort}:${peer1.config.backupServer.port}`;
    for (let i = 0; i < 100 && (await admInProcess(shard, ['active'])).out.includes(id); i += 1) await sleep(200);
    const reap = await admInProcess(shard, ['reap']);
    expect(reap.out).toBe(`reaped ${id}\n`);
    const show = parseJson<ShowJson>(await admInProcess(shard, ['show', '--json']));
    expect(show.peers.map((p) => p.role)).toEqual(['primary', 'sync']);
    // The host comes back: its data is still a primary's, so it acts deposed until rebuilt (rebuild policy manual).
    shard.start(peer1);
    await shard.waitFor('peer1 deposed again', (s) => s.get('peer1')?.role === 'deposed', 60_000);
    const rebuild = await admProcess(shard, ['-c', peer1.configPath, 'rebuild']);
    expect(rebuild.status, rebuild.err).toBe(0);
    expect(rebuild.out).toMatch(/rebuild requested/);
    expect(rebuild.out).toMatch(/rebuilt \(zfs-(incremental|full) from 127\.0\.0\.1:\d+:\d+\); now (unassigned|async)\./);
    expect(rebuild.out).toMatch(/The diverged data is kept as \S+peer1-isolated-\d+/);
    await shard.waitForRoles({ peer3: 'primary', peer2: 'sync', peer1: 'async' }, 120_000);
    const verify = await admInProcess(shard, ['verify']);
    expect(verify.status, verify.out).toBe(0);
  });

  it('verify exits 1 on a broken chain (the sync host killed), as a real process too', async () => {
    const { shard } = run;
    const sync = shard.peer('peer2');
    const pgPid = shard.postgresPid(sync);
    process.kill(shard.sitterPid(sync), 'SIGKILL');
    if (pgPid !== undefined) process.kill(pgPid, 'SIGKILL');
    const verify = await admInProcess(shard, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.out).toMatch(/^error: sync 127\.0\.0\.1:\d+:\d+: PostgreSQL is not reachable/m);
    expect(verify.out).toMatch(/^error: sync 127\.0\.0\.1:\d+:\d+: not streaming from its upstream/m);
    const real = await admProcess(shard, ['verify']);
    expect(real.status).toBe(1);
    expect(real.out).toMatch(/^\d+ errors, \d+ warnings$/m);
  });
});
