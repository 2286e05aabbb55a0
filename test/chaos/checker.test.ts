// The chaos checker's pure parts: lost writes, split-brain samples, write gaps per fault, who accepts writes, and the seeded schedule.
import { describe, expect, it } from 'vitest';
import { longestGapPerFault, lostWrites, splitBrainSamples, summarizeKinds, writeGaps } from './checker.js';
import { planFaults } from './schedule.js';
import { acceptingPeers, type Ack, type Probe } from './workload.js';

const ack = (id: number, ackedAtMs: number, peer = 'peer1'): Ack => ({ id, peer, ackedAtMs });

describe('chaos checker', () => {
  it('reports acknowledged ids the final primary lacks, and only those', () => {
    const acks = [ack(1, 10), ack(2, 20), ack(4, 40)];
    expect(lostWrites(acks, new Set([1, 2, 3, 4]))).toEqual([]);
    expect(lostWrites(acks, new Set([1]))).toEqual([2, 4]);
  });

  it('flags samples where more than one peer accepted writes', () => {
    const samples = [{ atMs: 0, writable: ['peer1'] }, { atMs: 100, writable: ['peer1', 'peer2'] }, { atMs: 200, writable: [] }];
    expect(splitBrainSamples(samples)).toEqual([{ atMs: 100, writable: ['peer1', 'peer2'] }]);
  });

  it('attributes each write gap to the fault during which it began', () => {
    const acks = [ack(1, 0), ack(2, 100), ack(3, 5_100), ack(4, 5_200), ack(5, 7_200)];
    expect(writeGaps(acks, 1_000).map((g) => g.lengthMs)).toEqual([5_000, 2_000]);
    const windows = [{ index: 0, kind: 'kill-pg', startMs: 50, endMs: 6_000 }, { index: 1, kind: 'zk-down', startMs: 6_000, endMs: 9_000 }];
    const gaps = longestGapPerFault(acks, windows);
    expect(gaps.get(0)).toBe(5_000);
    expect(gaps.get(1)).toBe(0);
    expect(summarizeKinds(windows, gaps).map((k) => [k.kind, k.count, k.longestGapMs])).toEqual([['kill-pg', 1, 5_000], ['zk-down', 1, 0]]);
  });

  it('counts a primary as accepting writes only while its sync really streams from it', () => {
    const endpoints = [{ name: 'a', host: '10.0.1.2', port: 5432 }, { name: 'b', host: '10.0.2.2', port: 5432 }, { name: 'c', host: '10.0.3.2', port: 5432 }];
    const primary: Probe = { recovery: false, writes_on: true, needs_sync: true, sync_listed: true, upstream: null };
    const standbyOf = (host: string): Probe => ({ ...primary, recovery: true, writes_on: false, sync_listed: false, upstream: host });
    expect(acceptingPeers(endpoints, [primary, standbyOf('10.0.1.2'), standbyOf('10.0.2.2')])).toEqual(['a']);
    // Cut off: a still lists its old sync, but b was promoted and c now streams from b.
    expect(acceptingPeers(endpoints, [primary, primary, standbyOf('10.0.2.2')])).toEqual(['b']);
    // Two singletons (no sync required) are a split brain.
    const single: Probe = { ...primary, needs_sync: false, sync_listed: false };
    expect(acceptingPeers(endpoints, [single, single, null])).toEqual(['a', 'b']);
  });
});

describe('chaos schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(planFaults(42, 50, 3_000)).toEqual(planFaults(42, 50, 3_000));
    expect(planFaults(42, 50, 3_000)).not.toEqual(planFaults(43, 50, 3_000));
    expect(planFaults(42, 50, 3_000, ['disk-full']).every((f) => f.target !== 'primary')).toBe(true);
  });
});
