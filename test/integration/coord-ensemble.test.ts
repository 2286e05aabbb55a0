// 3-node ZooKeeper 3.8 ensemble: kill -9 of the leader keeps the client's session and ephemeral node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../helpers/scratch.js';
import { startZooKeeper, type ZkEnsemble } from '../helpers/zookeeper.js';
import { CoordinatorPool, clusterState, payload, peerId } from './coord-support.js';

let zk: ZkEnsemble;
const pool = new CoordinatorPool(() => ({ connectString: zk.connectString }));

beforeAll(async () => {
  zk = await startZooKeeper({ servers: 3 });
});

afterAll(async () => {
  await pool.closeAll();
  await zk?.stop();
});

describe('Coordinator on a 3-node ensemble', () => {
  it('survives kill -9 of the leader with the same session and its election node', async () => {
    const path = `/dugong-test/${uniqueName('ensemble')}`;
    const { coordinator: member, events } = await pool.started(path, { sessionTimeoutMs: 4_000 });
    const { coordinator: observer, events: observed } = await pool.started(path, { sessionTimeoutMs: 4_000 });
    const registration = await member.register(peerId(1), payload(1));
    const created = await member.createState(clusterState(1, 1, 2));
    await observed.waitFor('active', (l) => l.entries.some((e) => e.nodeName === registration.nodeName));

    const leader = await zk.leader();
    await zk.kill(leader.serverId, 'SIGKILL');
    const newLeader = await zk.leader();
    expect(newLeader.serverId).not.toBe(leader.serverId);

    // Followers drop their clients when they lose the leader; the client reconnects to a survivor.
    await events.waitFor('session', (s) => s.kind === 'disconnected');
    const back = await events.waitFor('session', (s) => s.kind === 'connected' && events.of('session').indexOf(s) > 0);
    expect(back.sessionId).toBe(registration.sessionId);
    expect(events.of('session').some((s) => s.kind === 'expired')).toBe(false);
    expect(member.registration()).toEqual(registration);
    expect((await observer.activePeers()).entries.map((e) => e.nodeName)).toEqual([registration.nodeName]);
    // Writes go through the new leader.
    const written = await member.writeState(clusterState(2, 1, 2), created.version);
    expect(written.version).toBe(created.version + 1);
    await observed.waitFor('state', (s) => s.kind === 'valid' && s.state.generation === 2);
  });

  it('notices a frozen server (SIGSTOP) and moves to another member with the same session', async () => {
    // The previous test killed the old leader: bring it back as a follower.
    await Promise.all(zk.servers.filter((s) => s.pid === undefined).map((s) => zk.restart(s.serverId)));
    const leader = await zk.leader();
    // Followers only: freezing the leader would add a leader election to what is measured here.
    const followers = zk.servers.filter((s) => s.pid !== undefined && s.serverId !== leader.serverId);
    expect(followers).toHaveLength(2);
    const connectString = followers.map((s) => `127.0.0.1:${s.clientPort}`).join(',');
    const path = `/dugong-test/${uniqueName('frozen')}`;
    const sessionTimeoutMs = 3_000;
    const { coordinator: member, events } = await pool.started(path, { connectString, sessionTimeoutMs });
    const registration = await member.register(peerId(2), payload(2));
    const frozen = await zk.serverOfSession(registration.sessionId);
    const frozenPid = frozen?.pid;
    if (frozenPid === undefined) throw new Error('could not find the server of the session');

    const mark = events.mark();
    const frozenAtMs = Date.now();
    process.kill(frozenPid, 'SIGSTOP');
    try {
      // The library alone never notices: it only writes pings. The watchdog's probe does.
      await events.waitFor('session', (s) => s.kind === 'disconnected', sessionTimeoutMs, mark);
      const back = await events.waitFor('session', (s) => s.kind === 'connected', sessionTimeoutMs, mark);
      expect(Date.now() - frozenAtMs).toBeLessThan(sessionTimeoutMs);
      expect(back.sessionId).toBe(registration.sessionId);
      expect((await zk.serverOfSession(registration.sessionId))?.serverId).not.toBe(frozen?.serverId);
      expect((await member.activePeers()).entries.map((e) => e.nodeName)).toEqual([registration.nodeName]);
    } finally {
      process.kill(frozenPid, 'SIGCONT');
    }
  });
});
