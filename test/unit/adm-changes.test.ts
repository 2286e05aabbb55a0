// The decisions behind dugong-adm's writes: freeze/unfreeze, clear-promote, reap, and the promote request and its outcome.
import { describe, expect, it } from 'vitest';
import { clearPromoteChange } from '../../src/adm/clear-promote.js';
import { freezeChange } from '../../src/adm/freeze.js';
import { promoteOutcome } from '../../src/adm/promote-outcome.js';
import { lagRefusal, planPromote, targetLag } from '../../src/adm/promote-plan.js';
import { reapChange } from '../../src/adm/reap.js';
import { unfreezeChange } from '../../src/adm/unfreeze.js';
import { promotePlan } from '../../src/fsm/rules/promote-request.js';
import type { ClusterState } from '../../src/schema/index.js';
import { activeOf, baseState, P1, P2, P3, P4, upProbe } from './adm-fakes.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const TTL = 60_000;

describe('freeze, unfreeze, clear-promote, reap', () => {
  it('freezes once, refuses to freeze twice, unfreezes, and is a no-op when not frozen', () => {
    const change = freezeChange(baseState(), 'upgrade', '2030-01-01T00:00:00.000Z');
    expect(change).toEqual({ kind: 'write', next: { ...baseState(), freeze: { date: '2030-01-01T00:00:00.000Z', reason: 'upgrade' } } });
    const frozen = change.kind === 'write' ? change.next : baseState();
    expect(freezeChange(frozen, 'again', 'x').kind).toBe('refused');
    expect(unfreezeChange(frozen)).toEqual({ kind: 'write', next: baseState() });
    expect(unfreezeChange(baseState()).kind).toBe('unchanged');
  });

  it('clears a promote request', () => {
    const state = baseState({ promote: { id: P2.id, role: 'sync', generation: 3, expireTime: '2030-01-01T00:01:00Z' } });
    expect(clearPromoteChange(state)).toEqual({ kind: 'write', next: baseState() });
    expect(clearPromoteChange(baseState()).kind).toBe('unchanged');
  });

  it('reaps only deposed peers that are not registered', () => {
    const state = baseState({ deposed: [P4, P3] });
    expect(reapChange(state, activeOf(P1, P2, P3))).toEqual({ kind: 'write', next: { ...state, deposed: [P3] } });
    expect(reapChange(baseState({ deposed: [P3] }), activeOf(P1, P2, P3)).kind).toBe('unchanged');
  });
});

describe('promote request', () => {
  it('builds a request the sitters accept (checked with src/fsm/promote.ts itself)', () => {
    const plan = planPromote(baseState(), activeOf(P1, P2, P3), { peer: 'zone2', role: 'sync' }, NOW, TTL);
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.request).toEqual({ id: P2.id, role: 'sync', generation: 3, expireTime: '2030-01-01T00:01:00.000Z' });
    const written: ClusterState = { ...baseState(), promote: plan.request };
    const active = activeOf(P1, P2, P3).entries;
    expect(promotePlan(written, active, NOW)).toEqual({ kind: 'switchover', target: P2 });
    const asyncPlan = planPromote(baseState(), activeOf(P1, P2, P3), { peer: P3.id, role: 'async', asyncIndex: 0 }, NOW, TTL);
    if (!asyncPlan.ok) throw new Error(asyncPlan.reason);
    expect(promotePlan({ ...baseState(), promote: asyncPlan.request }, active, NOW)).toEqual({ kind: 'promoteAsync', target: P3, index: 0 });
  });

  it('refuses what the sitters would ignore', () => {
    const reason = (state: ClusterState, ask: Parameters<typeof planPromote>[2], active = activeOf(P1, P2, P3)): string => {
      const plan = planPromote(state, active, ask, NOW, TTL);
      return plan.ok ? 'accepted' : plan.reason;
    };
    expect(reason(baseState(), { peer: P3.id, role: 'sync' })).toMatch(/is not the sync/);
    expect(reason(baseState(), { peer: P3.id, role: 'async' })).toMatch(/needs -i INDEX/);
    expect(reason(baseState(), { peer: P3.id, role: 'async', asyncIndex: 1 })).toMatch(/there is no async 1/);
    expect(reason(baseState({ freeze: { date: 'x', reason: 'upgrade' } }), { peer: P2.id, role: 'sync' })).toMatch(/frozen \(upgrade\)/);
    expect(reason(baseState(), { peer: P2.id, role: 'sync' }, activeOf(P1, P2))).toMatch(/no registered async/);
    expect(reason(baseState(), { peer: P2.id, role: 'sync' }, activeOf(P1, P3))).toMatch(/is not registered/);
    const pending = baseState({ promote: { id: P2.id, role: 'sync', generation: 3, expireTime: '2030-01-01T00:00:30Z' } });
    expect(reason(pending, { peer: P2.id, role: 'sync' })).toMatch(/pending until/);
    expect(reason(baseState({ sync: null, async: [], oneNodeWriteMode: true }), { peer: P2.id, role: 'sync' })).toMatch(/has no sync|singleton/);
  });

  it('measures the lag of the target and refuses beyond the limit', () => {
    const primary = upProbe({ inRecovery: false, currentLsn: '0/5000000' });
    expect(targetLag(primary, upProbe({ replayLsn: '0/4000000' }))).toBe(0x1000000);
    expect(lagRefusal(0x1000000, 0x1000000)).toBeNull();
    expect(lagRefusal(0x1000001, 0x1000000)).toMatch(/16\.0 MiB behind the primary \(limit 16\.0 MiB\)/);
    expect(lagRefusal(targetLag(primary, { kind: 'down', error: 'refused' }), 1)).toMatch(/cannot check the lag: cannot ask the target/);
  });

  it('judges the outcome from the state: done, pending, expired, removed, or overtaken by a failover', () => {
    const request = { id: P2.id, role: 'sync' as const, generation: 3, expireTime: '2030-01-01T00:01:00.000Z' };
    const valid = (state: ClusterState) => ({ kind: 'valid' as const, state, version: 9 });
    const withRequest = baseState({ promote: request });
    expect(promoteOutcome(valid(withRequest), request, NOW).kind).toBe('pending');
    expect(promoteOutcome(valid(withRequest), request, NOW + TTL).kind).toBe('failed');
    expect(promoteOutcome(valid(baseState()), request, NOW)).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/removed or replaced/) });
    const switched = baseState({ generation: 4, primary: P2, sync: P3, async: [], deposed: [P1] });
    expect(promoteOutcome(valid(switched), request, NOW)).toEqual({ kind: 'done', state: switched });
    const other = baseState({ generation: 4, primary: P3, sync: P2, async: [], deposed: [P1] });
    expect(promoteOutcome(valid(other), request, NOW)).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/does not make/) });
  });
});
