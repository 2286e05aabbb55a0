// Stories about losing peers: the primary, the sync, an async; a two-peer shard; fast failover on a dead PostgreSQL.
import { expect } from 'vitest';
import type { Story } from '../story.js';
import { sentenceOf, threePeersRunning } from '../story.js';

export const FAILOVER_STORIES: readonly Story[] = [
  {
    title: 'stalled storage on the primary: it gives up and stops PostgreSQL at once, and the sync takes over',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000);
      const acknowledged = s.acknowledged();
      s.stallStorage('A', 60_000).until('B takes over', () => s.role('B') === 'primary', 10_000);
      expect(s.sentences('A').find((line) => line.startsWith('Gave up my registration at generation 1: my storage has not answered for'))).toBeDefined();
      expect(s.pgRunning('A')).toBe(false);
      s.untilConverged();
      expect(s.layout()).toEqual({ primary: 'B', sync: 'C', async: [], deposed: ['A'] });
      expect(s.acknowledged()).toBeGreaterThan(acknowledged);
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'stalled storage on the sync: it leaves the election, the primary names another sync, and it comes back as an async',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000);
      s.stallStorage('B', 6_000).until('C is the sync', () => s.layout().sync === 'C', 10_000);
      expect(s.waiting('B')).toMatch(/^My storage has not answered for \d+ s: out of the election so that I am not chosen as the new sync, until it answers again\.$/);
      expect(s.sentences('B').find((line) => line.startsWith('Left the election: my storage has not answered for'))).toBeDefined();
      s.until('B is an async again', () => s.layout().async.includes('B'), 15_000).untilConverged();
      expect(s.sentences('B').find((line) => line.startsWith('My storage answers again after'))).toBeDefined();
      expect(s.layout()).toEqual({ primary: 'A', sync: 'C', async: ['B'], deposed: [] });
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: "primary loss: the sync takes over once the primary's node expires; the old primary restarts deposed",
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000);
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: ['C'], deposed: [] });
      s.crash('A').run(1_500);
      expect(s.generation()).toBe(1); // the session has not expired yet
      s.until('B takes over', () => s.role('B') === 'primary').until('C follows as sync', () => s.role('C') === 'sync');
      expect(s.layout()).toEqual({ primary: 'B', sync: 'C', async: [], deposed: ['A'] });
      expect(s.generation()).toBe(2);
      expect(sentenceOf(s, 'B', 'T05-sync-takes-over')).toMatch(
        new RegExp(`^Took over as primary at generation 2: the primary's node ${s.id('A').replaceAll('.', '\\.')} is gone and my replayed WAL [0-9A-F]+/[0-9A-F]+ ≥ initWal 0/0\\.$`),
      );
      expect(sentenceOf(s, 'C', 'T09-async-to-sync-new-primary')).toBe(
        `Now sync at generation 2: ${s.id('B')} became primary and I was the first present async.`,
      );
      const acknowledgedBefore = s.acknowledged();
      s.untilConverged().run(1_000);
      expect(s.acknowledged()).toBeGreaterThan(acknowledgedBefore);
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
      s.restart('A').run(3_000);
      expect(s.role('A')).toBe('deposed');
      expect(s.transitions('A')).toEqual(['T01-bootstrap-primary', 'T20-start-deposed']);
      expect(s.pgRunning('A')).toBe(false);
      expect(s.waiting('A')).toBe('Deposed: PostgreSQL stays stopped until an operator rebuilds me (rebuildPolicy manual: dugong-adm rebuild).');
      expect(s.generation()).toBe(2);
    },
  },
  {
    title: 'rebuild auto: the deposed primary copies the new primary, leaves the deposed list and rejoins as an async',
    setup: { peers: 3, fsmConfig: { rebuildPolicy: 'auto' } },
    steps: (s) => {
      threePeersRunning(s).run(1_000);
      s.crash('A').until('B takes over', () => s.role('B') === 'primary').untilConverged();
      s.restart('A').until('A is an async again', () => s.role('A') === 'async').untilConverged();
      expect(s.layout()).toEqual({ primary: 'B', sync: 'C', async: ['A'], deposed: [] });
      expect(s.generation()).toBe(2);
      expect(s.transitions('A')).toEqual(['T01-bootstrap-primary', 'T20-start-deposed', 'T22-deposed-rebuilt', 'T13-joined-as-async']);
      expect(sentenceOf(s, 'A', 'T22-deposed-rebuilt')).toBe(
        `Rebuilt from the primary ${s.id('B')}: removed myself from the deposed list at generation 2, to be added as an async.`,
      );
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'rebuild manual: the deposed peer waits until an operator asks, then rebuilds; a request to a non-deposed peer is refused',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000);
      s.crash('A').until('B takes over', () => s.role('B') === 'primary').untilConverged();
      s.restart('A').run(10_000);
      expect(s.role('A')).toBe('deposed');
      s.requestRebuild('C').run(500);
      expect(s.sentences('C').at(-1)).toBe('A rebuild was requested, but I am sync, not deposed: nothing to rebuild.');
      s.requestRebuild('A').until('A is an async again', () => s.role('A') === 'async').untilConverged();
      expect(s.layout()).toEqual({ primary: 'B', sync: 'C', async: ['A'], deposed: [] });
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'an isolated primary keeps its flags but cannot acknowledge; on return it sees the new generation and stops',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s);
      s.isolate('A').until('B takes over', () => s.role('B') === 'primary').run(2_000);
      // Rule 10: A never heard of it and still has writes on, but its sync detached, so nothing is acknowledged.
      const a = s.world.peers[s.index('A')];
      expect(s.writable('A')).toBe(true);
      expect(a !== undefined && s.world.checker.canAcknowledge(a)).toBe(false);
      s.rejoin('A').until('A learns it is deposed', () => s.role('A') === 'deposed');
      expect(sentenceOf(s, 'A', 'T07-primary-deposed')).toBe(
        `Deposed at generation 2: ${s.id('B')} is primary now; stopping PostgreSQL until I am rebuilt.`,
      );
      s.until('A stopped PostgreSQL', () => !s.pgRunning('A')).untilConverged();
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'fast failover: a primary whose PostgreSQL cannot restart within its budget gives up its node at once',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s).run(1_000);
      const crashedAtMs = s.world.nowMs;
      s.crashPostgres('A', 60_000).until('B takes over', () => s.role('B') === 'primary');
      // Budget 2000 ms, well before the 3000 ms session timeout would have removed A's node.
      expect(s.world.nowMs - crashedAtMs).toBeLessThan(2_800);
      expect(s.sentences('A')).toContain('My PostgreSQL is down: restarting it (restart budget 2000 ms).');
      const gaveUp = s.sentences('A').find((line) => line.startsWith('Gave up my registration'));
      expect(gaveUp).toMatch(
        new RegExp(`^Gave up my registration at generation 1: my PostgreSQL has been down for \\d+ ms and could not be restarted, so my sync ${s.id('B').replaceAll('.', '\\.')} can take over now\\.$`),
      );
      s.untilConverged();
      expect(s.layout()).toEqual({ primary: 'B', sync: 'C', async: [], deposed: ['A'] });
      expect(s.primaryHasEveryAcknowledgedWrite()).toBe(true);
    },
  },
  {
    title: 'sync loss: writes off, generation 2 names the first present async; the old sync returns as an async',
    setup: { peers: 3 },
    steps: (s) => {
      threePeersRunning(s);
      s.cutFromCoordinator('B').until('A declared generation 2', () => s.sentences('A').some((line) => line.startsWith('Declared generation 2')));
      s.until('C learnt it is the sync', () => s.role('C') === 'sync');
      expect(s.layout()).toEqual({ primary: 'A', sync: 'C', async: [], deposed: [] });
      expect(s.sentences('A')).toContain(
        `Declared generation 2 with ${s.id('C')} as sync: my sync ${s.id('B')} is gone; initWal is my WAL position ${s.state().initWal}.`,
      );
      expect(s.transitions('C')).toContain('T10-async-to-sync-replacement');
      s.untilConverged();
      s.reconnectToCoordinator('B').until('B is an async again', () => s.role('B') === 'async');
      expect(s.transitions('B').slice(-2)).toEqual(['T15-sync-removed', 'T13-joined-as-async']);
      expect(s.layout()).toEqual({ primary: 'A', sync: 'C', async: ['B'], deposed: [] });
      expect(s.generation()).toBe(2);
    },
  },
  {
    title: 'async loss and return: removed in the same generation, appended again at the end',
    setup: { peers: 4 },
    steps: (s) => {
      s.start('A').run(100).start('B').run(100).start('C').run(100).start('D');
      s.until('all four are in the state', () => s.hasState() && s.state().async.length === 2).untilConverged();
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: ['C', 'D'], deposed: [] });
      const removed = `Updated the asyncs at generation 1: added none, removed ${s.id('C')}.`;
      s.cutFromCoordinator('C').until('A removed C', () => s.sentences('A').includes(removed));
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: ['D'], deposed: [] });
      s.reconnectToCoordinator('C')
        .until('C reads that it was removed', () => s.role('C') === 'unassigned')
        .until('C appended again', () => s.role('C') === 'async');
      expect(s.transitions('C').slice(-2)).toEqual(['T14-async-removed', 'T13-joined-as-async']);
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: ['D', 'C'], deposed: [] });
      s.run(2_000);
      expect(s.world.pgOf(s.index('C')).upstream).toBe(s.id('D'));
      expect(s.generation()).toBe(1);
    },
  },
  {
    title: 'two-peer shard: the sync does not take over when the primary is lost, and says why',
    setup: { peers: 2 },
    steps: (s) => {
      s.start('A').run(100).start('B').untilConverged();
      s.crash('A').run(8_000);
      expect(s.generation()).toBe(1);
      expect(s.role('B')).toBe('sync');
      expect(s.writable('B')).toBe(false);
      expect(s.waiting('B')).toBe(
        `The primary ${s.id('A')} is gone but no async is present to become my sync (a two-peer shard does not fail over): not taking over.`,
      );
      s.restart('A').untilConverged();
      expect(s.transitions('A')).toEqual(['T01-bootstrap-primary', 'T16-start-primary']);
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: [], deposed: [] });
    },
  },
];
