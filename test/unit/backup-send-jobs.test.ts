// The send job table: bounded concurrency, one stream per job, first outcome wins, expiry of finished and unclaimed jobs.
import { describe, expect, it, vi } from 'vitest';
import { SendJobTable } from '../../src/backup/send-jobs.js';
import { parseSnapshotName } from '../../src/zfs/index.js';

const SNAP = parseSnapshotName('1763782800000');
const estimate = { bytes: 1000, method: 'referenced' as const };
const job = (id: string) => ({ id, snapshot: SNAP, from: null, estimate });

function table(maxConcurrentSends = 2) {
  return new SendJobTable({ maxConcurrentSends, jobTtlMs: 10_000, claimTimeoutMs: 1_000 });
}

describe('SendJobTable', () => {
  it('admits at most maxConcurrentSends queued or sending jobs; finished ones free their slot', () => {
    const jobs = table(2);
    expect(jobs.create(0, job('a'))?.state).toBe('queued');
    expect(jobs.create(0, job('b'))?.state).toBe('queued');
    expect(jobs.hasCapacity(0)).toBe(false);
    expect(jobs.create(0, job('c'))).toBeUndefined();
    jobs.claim(0, 'a', () => undefined);
    jobs.finish(5, 'a', { state: 'done' });
    expect(jobs.create(5, job('c'))?.id).toBe('c');
    // Ids are never reused while the old job is known.
    expect(jobs.create(5, job('a'))).toBeUndefined();
  });

  it('serves a stream once per job and reports progress', () => {
    const jobs = table();
    jobs.create(0, job('a'));
    expect(jobs.claim(10, 'a', () => undefined)).toMatchObject({ ok: true, job: { id: 'a', snapshot: SNAP, from: null } });
    expect(jobs.claim(11, 'a', () => undefined)).toEqual({ ok: false, reason: 'not-queued' });
    expect(jobs.claim(11, 'nope', () => undefined)).toEqual({ ok: false, reason: 'not-found' });
    jobs.addBytes('a', 300);
    jobs.addBytes('a', 200);
    expect(jobs.get(12, 'a')).toMatchObject({ state: 'sending', bytesSent: 500, estimatedBytes: 1000, startedAt: new Date(10).toISOString(), finishedAt: null });
  });

  it('aborts a sending job through its handle; the abort is not overwritten by the failure it causes', () => {
    const jobs = table();
    const stop = vi.fn();
    jobs.create(0, job('a'));
    jobs.claim(0, 'a', stop);
    expect(jobs.abort(5, 'a', 'client asked')).toBe(true);
    expect(stop).toHaveBeenCalledWith('client asked');
    jobs.finish(6, 'a', { state: 'failed', error: 'zfs send killed' });
    expect(jobs.get(7, 'a')).toMatchObject({ state: 'aborted', error: 'client asked', finishedAt: new Date(5).toISOString() });
    expect(jobs.abort(8, 'a', 'again')).toBe(false);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('drops a queued job nobody fetched after claimTimeoutMs, and forgets finished jobs after jobTtlMs', () => {
    const jobs = table(1);
    jobs.create(0, job('a'));
    expect(jobs.hasCapacity(999)).toBe(false);
    expect(jobs.hasCapacity(1_000)).toBe(true);
    expect(jobs.get(1_000, 'a')).toMatchObject({ state: 'aborted', error: expect.stringMatching(/not fetched within 1000 ms/) });
    expect(jobs.get(10_999, 'a')).toBeDefined();
    expect(jobs.get(11_000, 'a')).toBeUndefined();
    expect(jobs.list(11_000)).toEqual([]);
  });

  it('aborts every active job on shutdown', () => {
    const jobs = table(3);
    const stops = [vi.fn(), vi.fn()];
    jobs.create(0, job('a'));
    jobs.create(0, job('b'));
    jobs.create(0, job('c'));
    jobs.claim(0, 'a', stops[0] ?? vi.fn());
    jobs.claim(0, 'b', stops[1] ?? vi.fn());
    jobs.finish(1, 'b', { state: 'done' });
    jobs.abortAll(2, 'shutting down');
    expect(stops[0]).toHaveBeenCalledTimes(1);
    expect(stops[1]).not.toHaveBeenCalled();
    expect(jobs.list(2).map((view) => [view.id, view.state])).toEqual([['a', 'aborted'], ['b', 'done'], ['c', 'aborted']]);
  });
});
