// Name validation for src/zfs: only strict dataset/snapshot/property names and normalised mountpoints pass.
import { describe, expect, it } from 'vitest';
import { isDugongError } from '../../src/errors.js';
import {
  formatSnapshotRef,
  isDatasetName,
  isSnapshotName,
  parseDatasetName,
  parseMountpoint,
  parsePropertyName,
  parsePropertyValue,
  parseSnapshotName,
  parseSnapshotRef,
  snapshotEpochMs,
  snapshotNameAt,
} from '../../src/zfs/names.js';
import { isolatedName } from '../../src/zfs/isolate.js';

function rejectsWithNameInvalid(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isDugongError(caught, 'DUGONG_ERR_ZFS_NAME_INVALID'), String(caught)).toBe(true);
}

describe('dataset names', () => {
  it.each(['pool', 'pool/ds', 'dgt1/manatee/data', 'p_1/a.b/c:d/e-f', 'zones/8a1c-uuid/data/manatee', 'pool/_x'])('accepts %s', (name) => {
    expect(isDatasetName(name)).toBe(true);
    expect(parseDatasetName(name)).toBe(name);
  });

  it.each([
    ['empty', ''],
    ['leading slash', '/pool/ds'],
    ['trailing slash', 'pool/ds/'],
    ['double slash', 'pool//ds'],
    ['dot component', 'pool/./ds'],
    ['dot-dot component', 'pool/../other'],
    ['dot-dot at end', 'pool/ds/..'],
    ['hidden component', 'pool/.ds'],
    ['option injection', '-r'],
    ['option injection in child', 'pool/-F'],
    ['snapshot name', 'pool/ds@1763782800000'],
    ['bookmark', 'pool/ds#b'],
    ['receive clone', 'pool/ds/%recv'],
    ['space', 'pool/my ds'],
    ['newline', 'pool/ds\nother'],
    ['NUL', 'pool/ds\u0000'],
    ['non-ASCII', 'pool/dß'],
    ['shell meta', 'pool/ds;rm'],
    ['pool starting with digit', '1pool/ds'],
    ['reserved pool name', 'mirror/ds'],
    ['too long', `pool/${'a'.repeat(300)}`],
  ])('rejects %s', (_label, name) => {
    expect(isDatasetName(name)).toBe(false);
    rejectsWithNameInvalid(() => parseDatasetName(name));
  });

  it.each([undefined, null, 42, {}, ['pool']])('rejects non-string %j', (value) => {
    rejectsWithNameInvalid(() => parseDatasetName(value));
  });
});

describe('snapshot names', () => {
  it('accepts exactly 13 digits of epoch milliseconds', () => {
    expect(parseSnapshotName('1763782800000')).toBe('1763782800000');
    expect(snapshotEpochMs(parseSnapshotName('1763782800000'))).toBe(1_763_782_800_000);
    expect(snapshotNameAt(1_763_782_800_123)).toBe('1763782800123');
  });

  it.each([
    '176378280000', // 12 digits
    '17637828000000', // 14 digits
    '0763782800000', // leading zero
    '1763782800000 ',
    ' 1763782800000',
    '1763782800000\n',
    '1763782800.00',
    '+763782800000',
    '-763782800000',
    '1e12',
    '１７６３７８２８０００００', // full-width digits
    'autosnap',
    '',
    '../1763782800000',
  ])('rejects %j', (name) => {
    expect(isSnapshotName(name)).toBe(false);
    rejectsWithNameInvalid(() => parseSnapshotName(name));
  });

  it.each([Number.NaN, 1.5, -1, 1e21, 999_999_999_999, 10_000_000_000_000])('refuses to name a snapshot after %d ms', (epochMs) => {
    rejectsWithNameInvalid(() => snapshotNameAt(epochMs));
  });

  it('parses and formats dataset@snapshot', () => {
    const ref = parseSnapshotRef('pool/ds@1763782800000');
    expect(ref).toEqual({ dataset: 'pool/ds', snapshot: '1763782800000' });
    expect(formatSnapshotRef(ref)).toBe('pool/ds@1763782800000');
  });

  it.each(['pool/ds', 'pool/ds@', '@1763782800000', 'pool/ds@1763782800000@1763782800001', 'pool/../ds@1763782800000', 'pool/ds@manual'])(
    'rejects snapshot reference %j',
    (value) => {
      rejectsWithNameInvalid(() => parseSnapshotRef(value));
    },
  );
});

describe('properties and mountpoints', () => {
  it.each(['mountpoint', 'canmount', 'recordsize', 'dugong:isolated-from', 'com.joyent:manatee'])('accepts property %s', (name) => {
    expect(parsePropertyName(name)).toBe(name);
  });

  it.each(['', 'Mountpoint', '-o', 'mount point', 'a=b', 'userquota@root', ':x', 'x:'])('rejects property %j', (name) => {
    rejectsWithNameInvalid(() => parsePropertyName(name));
  });

  it('rejects control characters in values', () => {
    expect(parsePropertyValue('lz4')).toBe('lz4');
    rejectsWithNameInvalid(() => parsePropertyValue('a\nb'));
    rejectsWithNameInvalid(() => parsePropertyValue('a\tb'));
  });

  it.each(['none', 'legacy', '/manatee/pg', '/tmp/dugong-x/mnt/data'])('accepts mountpoint %s', (path) => {
    expect(parseMountpoint(path)).toBe(path);
  });

  it.each(['', '/', 'relative/path', '/a/../etc', '/a/./b', '//a', '/a//b', '/a/', '/a\nb', 'None'])('rejects mountpoint %j', (path) => {
    rejectsWithNameInvalid(() => parseMountpoint(path));
  });
});

describe('isolated names', () => {
  it('appends -isolated-<epochMs> and stays a valid dataset name', () => {
    expect(isolatedName(parseDatasetName('pool/manatee'), 1_763_782_800_000)).toBe('pool/manatee-isolated-1763782800000');
    rejectsWithNameInvalid(() => isolatedName(parseDatasetName(`pool/${'a'.repeat(240)}`), 1_763_782_800_000));
  });
});
