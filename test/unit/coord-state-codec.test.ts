// Stored cluster state bytes: every malformed form is a value with problems; writers cannot store invalid states.
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState } from '../../src/coord/state-codec.js';
import { orderHistoryNames, parseHistoryNodeName } from '../../src/coord/zookeeper/history-names.js';
import { isDugongError } from '../../src/errors.js';
import type { ClusterState } from '../../src/schema/index.js';

const peer = (n: number) => ({
  id: `10.0.0.${n}:5432:12345`,
  zoneId: `z${n}`,
  ip: `10.0.0.${n}`,
  pgUrl: `tcp://postgres@10.0.0.${n}:5432/postgres`,
  backupUrl: `http://10.0.0.${n}:12345`,
});
const state: ClusterState = { generation: 3, primary: peer(1), sync: peer(2), async: [], deposed: [], initWal: '0/3000060' };

describe('decodeState', () => {
  it('round-trips a valid state with its version', () => {
    expect(decodeState(encodeState(state, 'test'), 4)).toEqual({ kind: 'valid', state, version: 4 });
  });

  it.each([
    ['empty node (undefined data)', undefined, /node is empty/],
    ['whitespace', Buffer.from('  \n'), /node is empty/],
    ['not JSON', Buffer.from('{"generation":'), /not JSON/],
    ['JSON null', Buffer.from('null'), /\(root\)/],
    ['schema failure', Buffer.from(JSON.stringify({ ...state, initWal: 'x', sync: 7 })), /initWal: .*\n?.*|sync/],
  ])('reports %s as invalid', (_label, data, problem) => {
    const read = decodeState(data, 9);
    expect(read.kind).toBe('invalid');
    if (read.kind !== 'invalid') return;
    expect(read.version).toBe(9);
    expect(read.problems.join('\n')).toMatch(problem);
    expect(read.raw).toBe(data === undefined ? '' : data.toString());
  });
});

describe('encodeState', () => {
  it('refuses an invalid state with DUGONG_ERR_STATE_INVALID', () => {
    let caught: unknown;
    try {
      encodeState({ ...state, generation: -1 }, 'writeState');
    } catch (error) {
      caught = error;
    }
    expect(isDugongError(caught, 'DUGONG_ERR_STATE_INVALID')).toBe(true);
  });
});

describe('history node names', () => {
  it('parses <generation>-<seq> and orders by sequence', () => {
    expect(parseHistoryNodeName('12-0000000003')).toEqual({ nodeName: '12-0000000003', generation: 12, seq: 3 });
    const ordered = orderHistoryNames(['2-0000000002', '0-0000000010', '1-0000000001', 'junk']);
    expect(ordered.names.map((n) => n.nodeName)).toEqual(['1-0000000001', '2-0000000002', '0-0000000010']);
    expect(ordered.unparsable).toEqual(['junk']);
  });
});
