// The topology client against an in-memory coordinator, and the libpq multi-host URL helper.
import { describe, expect, it } from 'vitest';
import { createClient, multiHostUrl } from '../../src/index.js';
import { parsePgUrl, topologyOf } from '../../src/client/index.js';
import { isDugongError } from '../../src/errors.js';
import { baseState, FakeCoordinator, instantClock, P1, P2, P3, P4 } from './adm-fakes.js';

const OPTIONS = { shardPath: '/dugong/test', zk: { connectString: '10.0.0.9:2181' } };
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

function recorder(coordinators: FakeCoordinator[]) {
  const events: Array<[string, unknown]> = [];
  let made = 0;
  const client = createClient({
    ...OPTIONS,
    clock: instantClock(),
    createCoordinator: () => coordinators[Math.min(made++, coordinators.length - 1)] ?? new FakeCoordinator(null),
  });
  client.on('ready', () => events.push(['ready', null]));
  client.on('topology', (urls) => events.push(['topology', urls]));
  client.on('error', (error) => events.push(['error', error.message]));
  return { client, events };
}

describe('createClient', () => {
  it('emits ready, then the topology [primary, sync, ...asyncs]; again only when that list changes', async () => {
    const coordinator = new FakeCoordinator(baseState({ deposed: [P4] }));
    const { client, events } = recorder([coordinator]);
    await tick();
    expect(events).toEqual([['ready', null], ['topology', [P1.pgUrl, P2.pgUrl, P3.pgUrl]]]);
    coordinator.set(baseState({ deposed: [P4], freeze: { date: 'x', reason: 'unrelated' } }));
    coordinator.set(baseState({ generation: 4, primary: P2, sync: P3, async: [], deposed: [P1] }));
    expect(events.slice(2)).toEqual([['topology', [P2.pgUrl, P3.pgUrl]]]);
    expect(client.topology()).toEqual([P2.pgUrl, P3.pgUrl]);
    await client.close();
    coordinator.set(baseState());
    expect(events).toHaveLength(3);
    expect(coordinator.closed).toBe(1);
  });

  it('keeps trying to connect, reporting each failure as an error event, and keeps the last topology over an invalid state', async () => {
    const coordinator = new FakeCoordinator(baseState());
    coordinator.failStarts = 2;
    const { client, events } = recorder([coordinator]);
    for (let i = 0; i < 20 && !events.some(([name]) => name === 'ready'); i += 1) await tick();
    expect(events.map(([name]) => name)).toEqual(['error', 'error', 'ready', 'topology']);
    coordinator.emitState({ kind: 'invalid', problems: ['generation: expected number'], version: 9, raw: '{}' });
    expect(events.at(-1)).toEqual(['error', expect.stringMatching(/DUGONG_ERR_STATE_INVALID/)]);
    expect(client.topology()).toEqual([P1.pgUrl, P2.pgUrl, P3.pgUrl]);
    await client.close();
  });

  it('does not throw for an unlistened error and rejects bad options at once', async () => {
    const coordinator = new FakeCoordinator(baseState());
    coordinator.failStarts = 1;
    const client = createClient({ ...OPTIONS, clock: instantClock(), createCoordinator: () => coordinator });
    await tick();
    await client.close();
    expect(() => createClient({ shardPath: 'relative', zk: { connectString: '10.0.0.9:2181' } })).toThrow(/DUGONG_ERR_USAGE/);
    expect(() => createClient({ shardPath: '/x', zk: { connectString: 'nohost' } })).toThrow(/DUGONG_ERR_USAGE/);
  });

  it('emits an empty topology for a shard without state', async () => {
    const { client, events } = recorder([new FakeCoordinator(null)]);
    await tick();
    expect(events).toEqual([['ready', null], ['topology', []]]);
    await client.close();
  });
});

describe('multiHostUrl', () => {
  it('builds a libpq URL over every host with target_session_attrs=read-write', () => {
    const urls = topologyOf(baseState());
    expect(multiHostUrl(urls, { database: 'moray', user: 'app' })).toBe(
      'postgresql://app@10.0.0.1:5432,10.0.0.2:5442,10.0.0.3:5452/moray?target_session_attrs=read-write',
    );
    expect(multiHostUrl(['tcp://postgres@[::1]:5432/postgres'], { database: 'my db', user: 'a@b', params: { connect_timeout: 2, target_session_attrs: 'any' } })).toBe(
      'postgresql://a%40b@[::1]:5432/my%20db?connect_timeout=2&target_session_attrs=read-write',
    );
  });

  it('rejects an empty list and URLs it cannot read', () => {
    expect(() => multiHostUrl([], { database: 'd', user: 'u' })).toThrow(/DUGONG_ERR_USAGE: multiHostUrl needs at least one/);
    try {
      parsePgUrl('http://x');
      expect.unreachable();
    } catch (error) {
      expect(isDugongError(error, 'DUGONG_ERR_USAGE')).toBe(true);
    }
    expect(parsePgUrl('tcp://postgres@10.0.0.1:5432/postgres')).toEqual({ user: 'postgres', host: '10.0.0.1', port: 5432, database: 'postgres' });
  });
});
