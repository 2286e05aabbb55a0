// Coordination error kinds: every ZooKeeper code lands on a stable DugongError code.
import { describe, expect, it } from 'vitest';
import { codeForKind, coordError, coordErrorKind, isTransientCoordError } from '../../src/coord/coord-errors.js';
import { fromZkError, kindForZkCode } from '../../src/coord/zookeeper/zk-errors.js';
import { DugongError } from '../../src/errors.js';

describe('coordination errors', () => {
  it.each([
    [-101, 'no-node', 'DUGONG_ERR_COORD_NO_NODE'],
    [-110, 'exists', 'DUGONG_ERR_COORD_EXISTS'],
    [-103, 'conflict', 'DUGONG_ERR_COORD_CONFLICT'],
    [-112, 'session-expired', 'DUGONG_ERR_COORD_SESSION_EXPIRED'],
    [-4, 'connection-loss', 'DUGONG_ERR_COORD_FAILED'],
    [-102, 'no-auth', 'DUGONG_ERR_COORD_NO_AUTH'],
    [-100, 'failed', 'DUGONG_ERR_COORD_FAILED'],
    [undefined, 'failed', 'DUGONG_ERR_COORD_FAILED'],
  ] as const)('ZooKeeper code %s is %s (%s)', (zkCode, kind, code) => {
    expect(kindForZkCode(zkCode)).toBe(kind);
    expect(codeForKind(kind)).toBe(code);
    const error = fromZkError(Object.assign(new Error('x'), { code: zkCode }), 'readState', '/s/state');
    expect(error).toBeInstanceOf(DugongError);
    expect(error.code).toBe(code);
    expect(coordErrorKind(error)).toBe(kind);
  });

  it('passes DugongErrors through and classifies transient kinds', () => {
    const timeout = coordError({ kind: 'timeout', operation: 'readState', timeoutMs: 5 }, 'slow');
    expect(fromZkError(timeout, 'other')).toBe(timeout);
    expect(isTransientCoordError(timeout)).toBe(true);
    expect(isTransientCoordError(coordError({ kind: 'conflict', operation: 'writeState' }, 'lost'))).toBe(false);
    expect(coordErrorKind(new Error('plain'))).toBeUndefined();
  });
});
