// Stories about what must NOT cause a failover: coordination outages, sitter restarts; and graceful shutdowns.
import { expect } from 'vitest';
import type { Story } from '../story.js';
import { sentenceOf, threePeersRunning } from '../story.js';

export const RESILIENCE_STORIES: readonly Story[] = [
  {
    title: 'a coordination outage longer than the session timeout demotes nobody; writes go on throughout',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000);
      const before = s.acknowledged();
      s.coordinationOutage(true).run(10_000);
      expect(s.writable('A')).toBe(true);
      expect(s.acknowledged()).toBeGreaterThan(before + 50);
      for (const name of ['A', 'B', 'C'] as const) {
        expect(s.waiting(name)).toBe('Disconnected from the coordination service: keeping my role and PostgreSQL as they are until it is back.');
      }
      s.coordinationOutage(false).run(5_000);
      expect(s.generation()).toBe(1);
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: ['C'], deposed: [] });
      expect(s.writable('A')).toBe(true);
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'sitter restarts cause no failover: roles are kept by peer id while the old election node lingers',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000);
      s.restartSitter('A');
      // Through the old session's expiry (3 s) and beyond, A's PostgreSQL never stops accepting writes.
      for (let elapsedMs = 0; elapsedMs < 6_000; elapsedMs += 100) {
        s.run(100);
        expect(s.writable('A')).toBe(true);
      }
      s.restartSitter('B').restartSitter('C').run(6_000);
      expect(s.generation()).toBe(1);
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: ['C'], deposed: [] });
      expect(s.transitions('A')).toEqual(['T01-bootstrap-primary', 'T16-start-primary']);
      expect(s.transitions('B').at(-1)).toBe('T17-start-sync');
      expect(sentenceOf(s, 'C', 'T18-start-async')).toBe(
        `Started as async at generation 1, as the cluster state names me; I follow ${s.id('B')}.`,
      );
      expect(s.transitions().filter((id) => id === 'T05-sync-takes-over')).toEqual([]);
    },
  },
  {
    title: 'graceful shutdown of the primary hands over: writes off, sync flushed, node given up, then the sync takes over',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000).shutdown('A');
      s.until('A exited', () => s.role('A') === 'no sitter').until('B takes over', () => s.role('B') === 'primary');
      expect(s.sentences('A')).toEqual(
        expect.arrayContaining([
          `Shutting down on request: handing over to my sync ${s.id('B')} (writes off, waiting for it to flush, then leaving the election).`,
          'Exiting after a clean shutdown.',
        ]),
      );
      expect(s.pgRunning('A')).toBe(false);
      s.untilConverged();
      expect(s.layout()).toEqual({ primary: 'B', sync: 'C', async: [], deposed: ['A'] });
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'graceful shutdown of a primary without an async leaves at once: no takeover could follow, so no handover wait',
    setup: { peers: 2, fsmConfig: { handoverTimeoutMs: 10_000 } },
    steps: (s) => {
      s.start('A').run(100).start('B').untilConverged().run(1_000);
      const requestedAtMs = s.world.nowMs;
      s.shutdown('A').until('A exited', () => s.role('A') === 'no sitter');
      expect(s.world.nowMs - requestedAtMs).toBeLessThan(1_000);
      expect(s.sentences('A')).toEqual(
        expect.arrayContaining([
          'Shutting down on request without a handover, because no async is present, so my sync could not take over: leaving the election and stopping PostgreSQL at once.',
          'Exiting after a clean shutdown.',
        ]),
      );
      expect(s.pgRunning('A')).toBe(false);
      s.run(5_000);
      expect(s.generation()).toBe(1);
      expect(s.role('B')).toBe('sync');
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'graceful shutdown of a primary whose sync is gone leaves at once, saying why',
    setup: { peers: 2, fsmConfig: { handoverTimeoutMs: 10_000 } },
    steps: (s) => {
      s.start('A').run(100).start('B').untilConverged().run(1_000);
      s.crash('B').until("A noticed its sync's node is gone", () => s.waiting('A')?.startsWith('My sync') === true);
      const requestedAtMs = s.world.nowMs;
      s.shutdown('A').until('A exited', () => s.role('A') === 'no sitter');
      expect(s.world.nowMs - requestedAtMs).toBeLessThan(1_000);
      expect(s.sentences('A')).toEqual(
        expect.arrayContaining([
          `Shutting down on request without a handover, because my sync ${s.id('B')} is not registered: leaving the election and stopping PostgreSQL at once.`,
          'Exiting after a clean shutdown.',
        ]),
      );
      expect(s.pgRunning('A')).toBe(false);
    },
  },
  {
    title: 'a primary waiting for its sync to flush stops waiting as soon as that sync leaves the election',
    setup: { peers: 3, fsmConfig: { handoverTimeoutMs: 10_000 } },
    steps: (s) => {
      threePeersRunning(s).run(500);
      // A slow sync falls behind, so the handover has to wait for it.
      s.world.pgOf(s.index('B')).slowUntilMs = s.world.queue.nowMs + 60_000;
      s.run(2_000);
      const requestedAtMs = s.world.nowMs;
      s.shutdown('A').run(300);
      expect(s.waiting('A')).toBe(`Shutting down: waiting for my sync ${s.id('B')} to flush all my WAL.`);
      s.shutdown('B').until('A exited', () => s.role('A') === 'no sitter');
      expect(s.world.nowMs - requestedAtMs).toBeLessThan(3_000);
      expect(s.sentences('A')).toEqual(
        expect.arrayContaining([
          `Stopped waiting for the handover, because my sync ${s.id('B')} is not registered: leaving the election and stopping PostgreSQL at once.`,
          'Exiting after shutdown; my sync had not confirmed it flushed everything in time.',
        ]),
      );
      expect(s.pgRunning('A')).toBe(false);
    },
  },
  {
    title: 'graceful shutdown of an async just leaves: the primary removes it in the same generation',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).shutdown('C');
      s.until('C exited', () => s.role('C') === 'no sitter').until('C removed', () => s.state().async.length === 0);
      expect(s.sentences('C')).toContain('Shutting down on request: leaving the election and stopping PostgreSQL.');
      expect(s.generation()).toBe(1);
      expect(s.writable('A')).toBe(true);
    },
  },
];
