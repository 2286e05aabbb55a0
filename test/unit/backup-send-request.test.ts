// Validation of send requests and job ids: bad names and path tricks are refused before any zfs command.
import { describe, expect, it } from 'vitest';
import { parseJobId, parseSendRequest, resolveSendRequest } from '../../src/backup/send-request.js';
import { parseSnapshotName } from '../../src/zfs/index.js';

const A = parseSnapshotName('1763782800000');
const B = parseSnapshotName('1763782860000');
const C = parseSnapshotName('1763782920000');

function refusal(result: ReturnType<typeof parseSendRequest> | ReturnType<typeof parseJobId>) {
  if (result.ok) throw new Error('expected a refusal');
  return result.problem;
}

describe('parseSendRequest', () => {
  it('accepts an empty body (newest, full) and well-formed names', () => {
    expect(parseSendRequest(undefined)).toEqual({ ok: true, value: { snapshot: undefined, from: undefined, fresh: false } });
    expect(parseSendRequest({})).toEqual({ ok: true, value: { snapshot: undefined, from: undefined, fresh: false } });
    expect(parseSendRequest({ snapshot: B, from: A })).toEqual({ ok: true, value: { snapshot: B, from: A, fresh: false } });
  });

  it.each([
    ['another dataset', { snapshot: `otherpool/ds@${A}` }],
    ['a full snapshot ref', { snapshot: `tank/db@${A}` }],
    ['a path', { snapshot: '../../etc/passwd' }],
    ['an encoded slash', { snapshot: '..%2F..%2Fetc' }],
    ['an option', { snapshot: '-R' }],
    ['a hand-made name', { snapshot: 'before-upgrade' }],
    ['a leading zero', { snapshot: '0763782800000' }],
    ['14 digits', { snapshot: '17637828000000' }],
    ['blanks', { from: ` ${A}` }],
    ['a newline', { from: `${A}\n` }],
  ])('refuses %s as DUGONG_ERR_ZFS_NAME_INVALID', (_what, body) => {
    expect(refusal(parseSendRequest(body))).toMatchObject({ status: 400, code: 'DUGONG_ERR_ZFS_NAME_INVALID' });
  });

  it('refuses a wrong shape, unknown fields and a send from a snapshot to itself as DUGONG_ERR_BAD_REQUEST', () => {
    expect(refusal(parseSendRequest({ snapshot: 1763782800000 }))).toMatchObject({ status: 400, code: 'DUGONG_ERR_BAD_REQUEST' });
    expect(refusal(parseSendRequest({ dataset: 'tank/other' })).problems?.join()).toMatch(/dataset/);
    expect(refusal(parseSendRequest('snapshot=1'))).toMatchObject({ code: 'DUGONG_ERR_BAD_REQUEST' });
    expect(refusal(parseSendRequest([A]))).toMatchObject({ code: 'DUGONG_ERR_BAD_REQUEST' });
    expect(refusal(parseSendRequest({ snapshot: 'x'.repeat(100) }))).toMatchObject({ code: 'DUGONG_ERR_BAD_REQUEST' });
    expect(refusal(parseSendRequest({ snapshot: A, from: A }))).toMatchObject({ status: 400, code: 'DUGONG_ERR_BAD_REQUEST' });
    expect(refusal(parseSendRequest({ snapshot: A, fresh: true }))).toMatchObject({ status: 400, code: 'DUGONG_ERR_BAD_REQUEST' });
    expect(refusal(parseSendRequest({ fresh: 'yes' }))).toMatchObject({ status: 400, code: 'DUGONG_ERR_BAD_REQUEST' });
  });

  it('accepts a fresh snapshot, in full or incremental from a named one', () => {
    expect(parseSendRequest({ fresh: true })).toEqual({ ok: true, value: { snapshot: undefined, from: undefined, fresh: true } });
    expect(parseSendRequest({ fresh: true, from: A })).toEqual({ ok: true, value: { snapshot: undefined, from: A, fresh: true } });
  });
});

describe('resolveSendRequest', () => {
  const list = [A, B, C];

  it('defaults to the newest snapshot and a full stream', () => {
    expect(resolveSendRequest({ snapshot: undefined, from: undefined, fresh: false }, list)).toEqual({ ok: true, value: { snapshot: C, from: null } });
    expect(resolveSendRequest({ snapshot: undefined, from: A, fresh: false }, list)).toEqual({ ok: true, value: { snapshot: C, from: A } });
    expect(resolveSendRequest({ snapshot: B, from: A, fresh: false }, list)).toEqual({ ok: true, value: { snapshot: B, from: A } });
  });

  it('answers 404 for snapshots the dataset does not have, and 400 when from is not older', () => {
    const unknown = parseSnapshotName('1999999999999');
    expect(resolveSendRequest({ snapshot: undefined, from: undefined, fresh: false }, [])).toMatchObject({ ok: false, problem: { status: 404, code: 'DUGONG_ERR_BACKUP_NOT_FOUND' } });
    expect(resolveSendRequest({ snapshot: unknown, from: undefined, fresh: false }, list)).toMatchObject({ ok: false, problem: { status: 404 } });
    expect(resolveSendRequest({ snapshot: B, from: unknown, fresh: false }, list)).toMatchObject({ ok: false, problem: { status: 404 } });
    expect(resolveSendRequest({ snapshot: A, from: B, fresh: false }, list)).toMatchObject({ ok: false, problem: { status: 400, code: 'DUGONG_ERR_BAD_REQUEST' } });
    expect(resolveSendRequest({ snapshot: undefined, from: C, fresh: false }, list)).toMatchObject({ ok: false, problem: { status: 400 } });
  });
});

describe('parseJobId', () => {
  it('accepts server-made ids only', () => {
    expect(parseJobId('0b6f3f0e-2c1a-4f7e-9a53-7d2f4e1c9b10')).toEqual({ ok: true, value: '0b6f3f0e-2c1a-4f7e-9a53-7d2f4e1c9b10' });
    for (const bad of ['', '..', '../etc', 'a/b', 'a%2Fb', 'a b', 'x'.repeat(65), 42]) {
      expect(refusal(parseJobId(bad))).toMatchObject({ status: 400, code: 'DUGONG_ERR_BAD_REQUEST' });
    }
  });
});
