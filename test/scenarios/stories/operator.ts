// Stories about operator actions: freeze, planned switchover, promoting an async, editing or breaking the state.
import { expect } from 'vitest';
import type { Story } from '../story.js';
import { sentenceOf, threePeersRunning } from '../story.js';

export const OPERATOR_STORIES: readonly Story[] = [
  {
    title: 'freeze blocks failover (the sync says why) until an operator unfreezes',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).freeze('kernel upgrade').crash('A').run(8_000);
      expect(s.generation()).toBe(1);
      expect(s.waiting('B')).toBe(`The primary ${s.id('A')} is gone but the cluster is frozen (kernel upgrade): not taking over.`);
      s.unfreeze().until('B takes over', () => s.role('B') === 'primary').untilConverged();
      expect(s.layout()).toEqual({ primary: 'B', sync: 'C', async: [], deposed: ['A'] });
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'switchover to the sync: writes off, the sync flushes everything, generation 2 makes it primary',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000).promote('sync');
      s.until('B is primary', () => s.role('B') === 'primary').untilConverged().run(500);
      expect(s.layout()).toEqual({ primary: 'B', sync: 'C', async: [], deposed: ['A'] });
      expect(s.state().promote).toBeUndefined();
      expect(sentenceOf(s, 'A', 'T08-primary-hands-over')).toMatch(
        new RegExp(`^Handed over to ${s.id('B').replaceAll('.', '\\.')} at generation 2 as requested: writes were off and it had flushed all my WAL \\([0-9A-F]+/[0-9A-F]+\\); I am deposed until rebuilt\\.$`),
      );
      expect(sentenceOf(s, 'B', 'T06-switchover-new-primary')).toBe(
        `Now primary at generation 2: ${s.id('A')} handed over to me as an operator requested.`,
      );
      expect(s.transitions('C')).toContain('T09-async-to-sync-new-primary');
      expect(s.pgRunning('A')).toBe(false);
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'promote async[0]: it becomes the sync in generation 2 and the old sync takes its place',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000).promote('async', 0);
      s.until('C is sync', () => s.role('C') === 'sync').untilConverged().run(500);
      expect(s.layout()).toEqual({ primary: 'A', sync: 'C', async: ['B'], deposed: [] });
      expect(s.generation()).toBe(2);
      expect(sentenceOf(s, 'C', 'T11-async-promoted-to-sync')).toBe('Now sync at generation 2: an operator promoted me from the asyncs.');
      expect(sentenceOf(s, 'B', 'T12-sync-demoted-to-async')).toBe(
        `Now async at generation 2: an operator promoted ${s.id('C')} into my place as sync; I follow ${s.id('C')}.`,
      );
      expect(s.sentences('A')).toContain(
        `Declared generation 2 with ${s.id('C')} as sync as an operator requested; ${s.id('B')} becomes an async; initWal ${s.state().initWal}.`,
      );
      expect(s.writable('A')).toBe(true);
    },
  },
  {
    title: 'an edit no protocol step explains is followed and reported: an async marked deposed stops PostgreSQL',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000);
      s.editState((state) => ({ ...state, async: [], deposed: [...state.deposed, ...state.async] }));
      s.until('C is deposed', () => s.role('C') === 'deposed').until('C stopped PostgreSQL', () => !s.pgRunning('C'));
      expect(sentenceOf(s, 'C', 'T21-reassigned-unexplained')).toBe(
        'Now deposed at generation 1 (was async): no single protocol step explains the change, probably an operator edit, so I follow the state.',
      );
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: [], deposed: ['C'] });
    },
  },
  {
    title: 'an invalid cluster state stops every decision (even a failover) until an operator writes a valid one',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s);
      const valid = s.state();
      s.writeRawState({ ...valid, sync: valid.async[0], generation: 'two' }).run(1_000);
      for (const name of ['A', 'B', 'C'] as const) {
        expect(s.waiting(name)).toMatch(/^The cluster state is invalid \(generation: .*\): taking no action until an operator writes a valid one\.$/);
      }
      s.crash('A').run(8_000);
      expect(s.role('B')).toBe('sync');
      expect(s.world.pgOf(s.index('B')).dataRole).toBe('standby');
      s.editState(() => valid).until('B takes over', () => s.role('B') === 'primary').untilConverged();
      expect(s.layout()).toEqual({ primary: 'B', sync: 'C', async: [], deposed: ['A'] });
    },
  },
];
