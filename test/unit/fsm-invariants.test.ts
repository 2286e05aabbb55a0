// checkInvariants: every structural rule of a cluster state, each broken on purpose.
import { describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/fsm/index.js';
import type { ClusterState, Peer } from '../../src/schema/index.js';

function peer(n: number): Peer {
  return { id: `10.0.0.${n}:5432:10002`, ip: `10.0.0.${n}`, pgUrl: `tcp://postgres@10.0.0.${n}:5432/postgres`, zoneId: `z${n}`, backupUrl: `http://10.0.0.${n}:10002` };
}

const base: ClusterState = { generation: 3, primary: peer(1), sync: peer(2), async: [peer(3), peer(4)], deposed: [peer(5)], initWal: '0/3000060' };

describe('checkInvariants', () => {
  it('accepts a sound state, with and without freeze and a valid promote request', () => {
    expect(checkInvariants(base)).toEqual([]);
    expect(checkInvariants({ ...base, freeze: { date: '2025-01-01T00:00:00Z', reason: 'x' } })).toEqual([]);
    const promote = { id: peer(4).id, role: 'async' as const, asyncIndex: 1, generation: 3, expireTime: '2025-01-01T00:00:00Z' };
    expect(checkInvariants({ ...base, promote })).toEqual([]);
    expect(checkInvariants({ ...base, promote: { ...promote, generation: 2 } })).toEqual([]); // stale requests are ignored, not invalid
  });

  it('rejects a peer listed twice anywhere', () => {
    expect(checkInvariants({ ...base, async: [peer(3), peer(2)] })).toEqual([`peer ${peer(2).id} appears twice: as sync and as async[1]`]);
    expect(checkInvariants({ ...base, deposed: [peer(1)] })).toEqual([`peer ${peer(1).id} appears twice: as primary and as deposed[0]`]);
    expect(checkInvariants({ ...base, sync: peer(1) })).toHaveLength(1);
  });

  it('allows no sync only in one-node-write mode or when there is no other peer', () => {
    expect(checkInvariants({ ...base, sync: null })).toEqual(['sync is null outside one-node-write mode while asyncs exist']);
    expect(checkInvariants({ ...base, sync: null, async: [] })).toEqual([]);
    expect(checkInvariants({ ...base, sync: null, async: [], oneNodeWriteMode: true })).toEqual([]);
    expect(checkInvariants({ ...base, oneNodeWriteMode: true })).toEqual([
      'one-node-write mode has no sync, but sync is set',
      'one-node-write mode has no asyncs, but async is not empty',
    ]);
  });

  it('rejects promote requests whose target does not hold the named slot, or from the future', () => {
    const expireTime = '2025-01-01T00:00:00Z';
    expect(checkInvariants({ ...base, promote: { id: peer(3).id, role: 'sync', generation: 3, expireTime } })).toHaveLength(1);
    expect(checkInvariants({ ...base, promote: { id: peer(3).id, role: 'async', asyncIndex: 1, generation: 3, expireTime } })).toHaveLength(1);
    expect(checkInvariants({ ...base, promote: { id: peer(3).id, role: 'async', asyncIndex: 7, generation: 3, expireTime } })).toHaveLength(1);
    expect(checkInvariants({ ...base, promote: { id: peer(2).id, role: 'sync', generation: 4, expireTime } })).toEqual([
      'promote request is for generation 4, after the current 3',
    ]);
  });

  it('rejects generation 0 (operator history entries only)', () => {
    expect(checkInvariants({ ...base, generation: 0 })).toEqual(['generation 0 is below 1']);
  });
});
