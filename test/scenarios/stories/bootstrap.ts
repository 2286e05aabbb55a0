// Stories about how a shard comes into being: peers arriving together, one by one, and singleton mode.
import { expect } from 'vitest';
import type { Story } from '../story.js';
import { sentenceOf } from '../story.js';

export const BOOTSTRAP_STORIES: readonly Story[] = [
  {
    title: 'three peers arriving together: the first registered creates generation 1, naming the second as sync',
    setup: { peers: 3 },
    steps: (s) => {
      s.start('A', 'B', 'C').until('all three are in the state', () => s.hasState() && s.state().async.length === 1);
      s.untilConverged().run(1_000);
      expect(s.generation()).toBe(1);
      expect(s.state().initWal).toBe('0/0');
      const { primary, sync, async } = s.layout();
      const third = async[0];
      if (primary === undefined || sync === undefined || third === undefined) throw new Error('incomplete layout');
      expect(new Set([primary, sync, third]).size).toBe(3);
      expect(sentenceOf(s, primary, 'T01-bootstrap-primary')).toMatch(
        new RegExp(`^Created generation 1 as primary: I registered first and ${s.id(sync).replaceAll('.', '\\.')} registered second`),
      );
      expect(s.transitions(sync)).toEqual(['T03-bootstrap-sync']);
      // Nothing crashed: the new primary starts PostgreSQL for the first time, and says so.
      expect(s.sentences(primary)).toContain('Starting PostgreSQL as primary of generation 1.');
      expect(s.sentences(primary).filter((line) => line.startsWith('My PostgreSQL is down'))).toEqual([]);
      // The third either made it into generation 1 or registered just after and was appended at once.
      expect([['T04-bootstrap-async'], ['T19-start-unassigned', 'T13-joined-as-async']]).toContainEqual(s.transitions(third));
      // Writes come on only after the sync has flushed everything.
      const primaryLog = s.sentences(primary);
      const enabled = primaryLog.findIndex((line) => line.startsWith('Writes enabled at generation 1'));
      expect(enabled).toBeGreaterThan(primaryLog.indexOf(`Writes stay off until my sync ${s.id(sync)} has flushed all my WAL.`));
      expect(s.writable(primary)).toBe(true);
      expect(s.acknowledged()).toBeGreaterThan(0);
    },
  },
  {
    title: 'the first peer cut off while the others register: it creates generation 1 with all three, the third as async',
    setup: { peers: 3 },
    steps: (s) => {
      // A registered alone; while it cannot see the coordinator, B and C register behind it; back, it sees all three.
      s.start('A').run(1_000).cutFromCoordinator('A').start('B', 'C').run(300).reconnectToCoordinator('A');
      s.until('generation 1 exists', () => s.hasState()).untilConverged();
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: ['C'], deposed: [] });
      expect(s.transitions('C')).toEqual(['T04-bootstrap-async']);
      expect(sentenceOf(s, 'C', 'T04-bootstrap-async')).toBe(`Now async at generation 1: ${s.id('A')} created the shard; I follow ${s.id('B')}.`);
    },
  },
  {
    title: 'peers arriving one by one: nobody writes a state alone; the second triggers generation 1; the third is appended',
    setup: { peers: 3 },
    steps: (s) => {
      s.start('A').run(5_000);
      expect(s.hasState()).toBe(false);
      expect(s.waiting('A')).toBe('Waiting for a second peer to register before creating the first cluster state.');
      s.start('B').untilConverged();
      expect(s.layout()).toEqual({ primary: 'A', sync: 'B', async: [], deposed: [] });
      expect(s.transitions('A')).toEqual(['T01-bootstrap-primary']);
      s.run(2_000).start('C').until('C is appended as async', () => s.role('C') === 'async').run(500);
      expect(s.generation()).toBe(1);
      expect(s.sentences('A')).toContain(`Updated the asyncs at generation 1: added ${s.id('C')}, removed none.`);
      expect(s.transitions('C')).toEqual(['T19-start-unassigned', 'T13-joined-as-async']);
      expect(sentenceOf(s, 'C', 'T13-joined-as-async')).toBe(
        `Joined as async at generation 1: ${s.id('A')} appended me; I follow ${s.id('B')}.`,
      );
      s.run(2_000);
      expect(s.world.pgOf(s.index('C')).upstream).toBe(s.id('B'));
    },
  },
  {
    title: 'singleton mode is explicit: a peer configured for one-node-write mode writes alone; others wait; no failover',
    setup: { peers: 2, fsmConfig: { oneNodeWriteMode: true } },
    steps: (s) => {
      s.start('A').until('A accepts writes', () => s.writable('A'));
      expect(s.state()).toMatchObject({ generation: 1, sync: null, async: [], oneNodeWriteMode: true });
      expect(sentenceOf(s, 'A', 'T02-bootstrap-singleton')).toBe(
        'Created generation 1 as primary in one-node-write mode, as configured: writes need no sync.',
      );
      expect(s.sentences('A')).toContain('Writes enabled at generation 1 in one-node-write mode: no sync is required.');
      s.start('B').run(3_000);
      expect(s.role('B')).toBe('unassigned');
      expect(s.waiting('B')).toBe('The shard is in one-node-write mode: other peers are not added until an operator leaves it.');
      // PostgreSQL down past the restart budget: nobody could take over, so the singleton keeps restarting it.
      s.crashPostgres('A', 4_000).run(3_000);
      expect(s.waiting('A')).toBe(
        'My PostgreSQL has been down longer than the restart budget, but giving up would not help (one-node-write mode has no sync to take over): still restarting it.',
      );
      s.until('A accepts writes again', () => s.writable('A'));
      expect(s.generation()).toBe(1);
      expect(s.state().primary.id).toBe(s.id('A'));
    },
  },
];
