// The runtime's pure parts: reading PostgreSQL settings back into peer ids, coordination data mapping, timers, the serial loop.
import { describe, expect, it } from 'vitest';
import { clusterDataOf, sessionObservation } from '../../src/runtime/coord-effects.js';
import { PeerDirectory, pgTargetOf, syncNameFromSetting, upstreamFromConninfo } from '../../src/runtime/peer-directory.js';
import { NamedTimers } from '../../src/runtime/timers.js';
import { ManualClock } from '../helpers/manual-clock.js';
import type { Peer } from '../../src/schema/index.js';

const peer: Peer = {
  id: '10.0.0.2:5442:10012', ip: '10.0.0.2', zoneId: 'z2',
  pgUrl: 'tcp://postgres@10.0.0.2:5442/postgres', backupUrl: 'http://10.0.0.2:10012',
};

describe('peer directory', () => {
  it('maps application names and upstream host:port back to peer ids', () => {
    const directory = new PeerDirectory();
    directory.learn([peer]);
    expect(directory.peerForApplicationName('10_0_0_2_5442_10012')).toBe(peer.id);
    expect(directory.peerForHostPort('10.0.0.2', 5442)).toBe(peer.id);
    expect(directory.peerForHostPort('10.0.0.2', 5432)).toBeNull();
    expect(directory.peerForApplicationName('someone_else')).toBeNull();
  });

  it('parses pgUrl into a connection target and rejects a malformed one', () => {
    expect(pgTargetOf(peer)).toEqual({ host: '10.0.0.2', port: 5442, user: 'postgres', database: 'postgres' });
    expect(() => pgTargetOf({ ...peer, pgUrl: 'postgres://x' })).toThrow(/DUGONG_ERR_STATE_INVALID/);
  });

  it('reads synchronous_standby_names and primary_conninfo as PostgreSQL shows them', () => {
    expect(syncNameFromSetting('"10_0_0_2_5442_10012"')).toBe('10_0_0_2_5442_10012');
    expect(syncNameFromSetting('')).toBeNull();
    expect(syncNameFromSetting(undefined)).toBeNull();
    expect(upstreamFromConninfo("host='10.0.0.1' port='5432' user='postgres' application_name='x'")).toEqual({ host: '10.0.0.1', port: 5432 });
    expect(upstreamFromConninfo('host=10.0.0.1 port=6000')).toEqual({ host: '10.0.0.1', port: 6000 });
    expect(upstreamFromConninfo('')).toBeNull();
  });
});

describe('coordination data mapping', () => {
  it('hands the state machine the data as read, parsing invalid JSON loosely', () => {
    expect(clusterDataOf({ kind: 'absent' })).toEqual({ kind: 'absent' });
    expect(clusterDataOf({ kind: 'invalid', problems: ['x'], version: 4, raw: '{"generation":"two"}' })).toEqual({
      kind: 'present', version: 4, data: { generation: 'two' },
    });
    expect(clusterDataOf({ kind: 'invalid', problems: ['x'], version: 5, raw: '{oops' })).toEqual({ kind: 'present', version: 5, data: '{oops' });
    expect(sessionObservation({ kind: 'expired', sessionId: 'a' })).toEqual({ kind: 'sessionExpired' });
  });
});

describe('named timers', () => {
  it('replaces a timer set again under the same name, and cancels', () => {
    const clock = new ManualClock();
    const fired: Array<[string, number]> = [];
    const timers = new NamedTimers(clock, (timer, token) => fired.push([timer, token]));
    timers.set('tick', 1, 1000);
    timers.set('tick', 2, 500);
    timers.set('poll', 3, 200);
    clock.advance(300);
    timers.cancel('poll');
    clock.advance(1000);
    expect(fired).toEqual([['poll', 3], ['tick', 2]]);
    timers.set('handover', 4, 100);
    timers.cancelAll();
    clock.advance(500);
    expect(fired).toHaveLength(2);
  });
});
