// Shard path layout and the typed event hub (a throwing listener is reported, never breaks the others).
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/coord/coordinator.js';
import { EventHub } from '../../src/coord/event-hub.js';
import { nodeNameOf, shardPaths } from '../../src/coord/zookeeper/paths.js';
import { isDugongError } from '../../src/errors.js';

describe('shardPaths', () => {
  it('lays out election, state and history under the shard (Manatee v2)', () => {
    expect(shardPaths('/manatee/1.moray')).toEqual({
      shard: '/manatee/1.moray',
      election: '/manatee/1.moray/election',
      state: '/manatee/1.moray/state',
      history: '/manatee/1.moray/history',
    });
    expect(nodeNameOf('/manatee/1.moray/history/3-0000000001')).toBe('3-0000000001');
  });

  it.each(['', '/', 'manatee/1', '/manatee/', '/a//b'])('rejects %j as DUGONG_ERR_CONFIG_INVALID', (path) => {
    let caught: unknown;
    try {
      shardPaths(path);
    } catch (error) {
      caught = error;
    }
    expect(isDugongError(caught, 'DUGONG_ERR_CONFIG_INVALID')).toBe(true);
  });
});

describe('EventHub', () => {
  const connected: SessionEvent = { kind: 'connected', sessionId: '01', sessionTimeoutMs: 1_000 };

  it('delivers to every listener even when one throws, and unsubscribes', () => {
    const failures: unknown[] = [];
    const hub = new EventHub((_event, error) => failures.push(error));
    const seen: string[] = [];
    hub.on('session', () => {
      throw new Error('listener bug');
    });
    const off = hub.on('session', (event) => seen.push(event.kind));
    hub.emit('session', connected);
    off();
    hub.emit('session', connected);
    expect(seen).toEqual(['connected']);
    expect(failures).toHaveLength(2);
  });
});
