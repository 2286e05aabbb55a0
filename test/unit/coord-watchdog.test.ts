// Connection watchdog: forces new attempts while the handshake hangs, drops a connected socket whose server stopped answering.
import type { Client } from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import { ConnectionWatchdog, watchdogTiming } from '../../src/coord/zookeeper/watchdog.js';
import { silentLogger } from '../../src/log.js';
import { ManualClock } from '../helpers/manual-clock.js';

/** Just enough of a library client: `exists` answers only when told, the socket counts destroys. */
function fakeClient(): { client: Client; destroys: () => number; answer: () => void } {
  let destroyed = 0;
  const pending: (() => void)[] = [];
  const fake = {
    connectionManager: { socket: { destroy: () => (destroyed += 1) } },
    exists: (_path: string, callback: (error: null, stat: null) => void) => pending.push(() => callback(null, null)),
  };
  return {
    client: fake as unknown as Client,
    destroys: () => destroyed,
    answer: () => pending.splice(0).forEach((reply) => reply()),
  };
}

const timing = { handshakeTimeoutMs: 500, probeIntervalMs: 1_000, probeTimeoutMs: 1_000 };

describe('ConnectionWatchdog', () => {
  it('drops the attempt every handshake timeout until connected', () => {
    const clock = new ManualClock();
    const fake = fakeClient();
    const watchdog = new ConnectionWatchdog(fake.client, clock, silentLogger(), () => timing);
    watchdog.onDisconnected();
    clock.advance(499);
    expect(fake.destroys()).toBe(0);
    clock.advance(1);
    clock.advance(500);
    expect(fake.destroys()).toBe(2);
    watchdog.onConnected();
    clock.advance(900);
    expect(fake.destroys()).toBe(2);
  });

  it('probes while connected and drops the socket when a probe gets no answer', () => {
    const clock = new ManualClock();
    const fake = fakeClient();
    const watchdog = new ConnectionWatchdog(fake.client, clock, silentLogger(), () => timing);
    watchdog.onConnected();
    clock.advance(1_000); // probe sent
    clock.advance(500);
    fake.answer(); // answered in time: next probe scheduled
    clock.advance(1_000); // next probe sent
    clock.advance(999);
    expect(fake.destroys()).toBe(0);
    clock.advance(1);
    expect(fake.destroys()).toBe(1);
  });

  it('does nothing after stop', () => {
    const clock = new ManualClock();
    const fake = fakeClient();
    const watchdog = new ConnectionWatchdog(fake.client, clock, silentLogger(), () => timing);
    watchdog.onDisconnected();
    watchdog.stop();
    clock.advance(10_000);
    expect(fake.destroys()).toBe(0);
  });

  it('derives Java-client-like bounds from the session timeout', () => {
    expect(watchdogTiming(6_000)).toEqual({ handshakeTimeoutMs: 2_000, probeIntervalMs: 2_000, probeTimeoutMs: 2_000 });
    expect(watchdogTiming(600).handshakeTimeoutMs).toBe(250);
    expect(watchdogTiming(30_000).handshakeTimeoutMs).toBe(3_000);
  });
});
