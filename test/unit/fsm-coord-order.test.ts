// Read answers and watch events reach decide() on different paths: an older answer must never undo newer watch news.
import { describe, expect, it } from 'vitest';
import type { ClusterStateData } from '../../src/fsm/index.js';
import type { ClusterState } from '../../src/schema/index.js';
import { active, connected, Driver, peer, stoppedEmpty } from './fsm-driver.js';

function generation(number: number): ClusterState {
  return { generation: number, primary: peer(1), sync: peer(2), async: [peer(3)], deposed: [], initWal: number === 1 ? '0/0' : '0/3000000' };
}

function present(version: number, state: ClusterState): ClusterStateData {
  return { kind: 'present', version, data: state };
}

/** The sync (peer 2) started and connected; its first readCoordination is in flight. */
function reading(): { driver: Driver; readOpId: number } {
  const driver = new Driver(peer(2));
  driver.feed({ kind: 'start' });
  driver.feed({ kind: 'pgStatus', opId: driver.last('fetchPgStatus').opId, status: stoppedEmpty });
  driver.feed({ kind: 'sessionConnected' });
  return { driver, readOpId: driver.last('readCoordination').opId };
}

/** Registered with a state known before the read; a reconnection makes it read again. */
function rereading(known: ClusterStateData): { driver: Driver; readOpId: number } {
  const driver = new Driver(peer(2));
  connected(driver, active(1, 2, 3), known);
  driver.feed({ kind: 'sessionDisconnected' });
  driver.feed({ kind: 'sessionConnected' });
  return { driver, readOpId: driver.last('readCoordination').opId };
}

describe('cluster state versions', () => {
  it('keeps a newer state a watch delivered when an older read answer arrives after it', () => {
    const { driver, readOpId } = reading();
    driver.feed({ kind: 'clusterStateChanged', cluster: present(5, generation(2)) });
    driver.feed({ kind: 'coordSnapshot', opId: readOpId, cluster: present(4, generation(1)), active: active(1, 2, 3) });
    expect(driver.state.coord.cluster).toMatchObject({ kind: 'valid', version: 5, state: { generation: 2 } });
    expect(driver.state.coord.fresh).toBe(true);
    expect(driver.state.pending.coord).toMatchObject({ op: 'register' });
  });

  it('ignores a watch event older than the state a read already returned', () => {
    const { driver, readOpId } = reading();
    driver.feed({ kind: 'coordSnapshot', opId: readOpId, cluster: present(5, generation(2)), active: active(1, 2, 3) });
    driver.feed({ kind: 'clusterStateChanged', cluster: present(4, generation(1)) });
    expect(driver.state.coord.cluster).toMatchObject({ kind: 'valid', version: 5, state: { generation: 2 } });
  });

  it('takes a newer version from either path', () => {
    const { driver, readOpId } = reading();
    driver.feed({ kind: 'clusterStateChanged', cluster: present(4, generation(1)) });
    driver.feed({ kind: 'coordSnapshot', opId: readOpId, cluster: present(5, generation(2)), active: active(1, 2, 3) });
    expect(driver.state.coord.cluster).toMatchObject({ kind: 'valid', version: 5, state: { generation: 2 } });
  });

  it('does not take an "absent" read answer over a state a watch delivered while the read was in flight', () => {
    const { driver, readOpId } = reading();
    driver.feed({ kind: 'clusterStateChanged', cluster: present(0, generation(1)) });
    driver.feed({ kind: 'coordSnapshot', opId: readOpId, cluster: { kind: 'absent' }, active: active(1, 2, 3) });
    expect(driver.state.coord.cluster).toMatchObject({ kind: 'valid', version: 0 });
    expect(driver.state.coord.sawAbsent).toBe(false);
    expect(driver.state.role).toBe('sync');
  });

  it('takes an "absent" read answer issued after the state was known: the state node really is gone', () => {
    const { driver, readOpId } = rereading(present(2, generation(1)));
    driver.feed({ kind: 'coordSnapshot', opId: readOpId, cluster: { kind: 'absent' }, active: active(1, 2, 3) });
    expect(driver.state.coord.cluster).toEqual({ kind: 'absent' });
    expect(driver.state.waitingReason).toBe(
      'The cluster state is gone after I saw generation 1: not creating a new one over existing data; an operator must restore it.',
    );
  });
});

describe('election list', () => {
  it('keeps the list a watch delivered while the read was in flight (it has no version to compare)', () => {
    const { driver, readOpId } = rereading(present(2, generation(1)));
    driver.feed({ kind: 'activeListChanged', active: active(2, 3) });
    driver.feed({ kind: 'coordSnapshot', opId: readOpId, cluster: present(2, generation(1)), active: active(1, 2, 3) });
    expect(driver.state.coord.active.map((entry) => entry.peer.id)).toEqual([peer(2).id, peer(3).id]);
    expect(driver.state.coord.fresh).toBe(true);
  });

  it("takes the read's list when no watch event came while it was in flight", () => {
    const { driver, readOpId } = rereading(present(2, generation(1)));
    driver.feed({ kind: 'coordSnapshot', opId: readOpId, cluster: present(2, generation(1)), active: active(2, 3) });
    expect(driver.state.coord.active.map((entry) => entry.peer.id)).toEqual([peer(2).id, peer(3).id]);
  });

  it('forgets the watch events of a read once it is answered: the next read is taken as it comes', () => {
    const { driver, readOpId } = rereading(present(2, generation(1)));
    driver.feed({ kind: 'activeListChanged', active: active(1, 2, 3) });
    driver.feed({ kind: 'coordSnapshot', opId: readOpId, cluster: present(2, generation(1)), active: active(1, 2, 3) });
    driver.feed({ kind: 'sessionDisconnected' });
    driver.feed({ kind: 'sessionConnected' });
    driver.feed({ kind: 'coordSnapshot', opId: driver.last('readCoordination').opId, cluster: present(2, generation(1)), active: active(2, 3) });
    expect(driver.state.coord.active.map((entry) => entry.peer.id)).toEqual([peer(2).id, peer(3).id]);
  });
});
