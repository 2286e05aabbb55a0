// Output parsing and command-line construction for src/zfs, from captured zfs-fuse / OpenZFS output.
import { describe, expect, it } from 'vitest';
import { isDugongError } from '../../src/errors.js';
import { commandError, formatCommandLine, isNotFoundStderr } from '../../src/zfs/command.js';
import { parseDatasetName, parseSnapshotName, type DatasetName } from '../../src/zfs/names.js';
import { isUnsupportedOptionStderr, parsePropertyRows, parseSendSizeEstimate, parseSnapshotList } from '../../src/zfs/parse.js';
import { receiveArgs } from '../../src/zfs/recv.js';
import { sendArgs } from '../../src/zfs/send.js';

// `zfs get -Hp -d 1 -o name,property,value creation,used,referenced dgprobe1/b` on zfs-fuse 0.7 (plus hand-made extras).
const GET_OUTPUT = [
  'dgprobe1/b\tcreation\t1795319230',
  'dgprobe1/b\tused\t30359552',
  'dgprobe1/b\treferenced\t30179328',
  'dgprobe1/b@1763782900000\tcreation\t1795319270',
  'dgprobe1/b@1763782900000\tused\t0',
  'dgprobe1/b@1763782900000\treferenced\t30179328',
  'dgprobe1/b@1763782800001\tcreation\t1795319223',
  'dgprobe1/b@1763782800001\tused\t90112',
  'dgprobe1/b@1763782800001\treferenced\t122880',
  'dgprobe1/b@1763782800000\tcreation\t1795319223',
  'dgprobe1/b@1763782800000\tused\t90112',
  'dgprobe1/b@1763782800000\treferenced\t118784',
  'dgprobe1/b@before-upgrade\tcreation\t1795319200',
  'dgprobe1/b@before-upgrade\tused\t0',
  'dgprobe1/b@before-upgrade\treferenced\t1',
  'dgprobe1/b/child\tcreation\t1795319406',
  'dgprobe1/b/child\tused\t1',
  'dgprobe1/b/child\treferenced\t1',
  'dgprobe1/bb@1763782700000\tcreation\t1795319100',
  'dgprobe1/bb@1763782700000\tused\t0',
  'dgprobe1/bb@1763782700000\treferenced\t1',
  '',
].join('\n');

describe('zfs get parsing', () => {
  it('lists only the dataset own Dugong snapshots, by creation then name', () => {
    const list = parseSnapshotList('dgprobe1/b', GET_OUTPUT);
    expect(list.map((s) => s.snapshot)).toEqual(['1763782800000', '1763782800001', '1763782900000']);
    expect(list[0]).toEqual({
      dataset: 'dgprobe1/b',
      snapshot: '1763782800000',
      fullName: 'dgprobe1/b@1763782800000',
      creationEpochSeconds: 1_795_319_223,
      usedBytes: 90_112,
      referencedBytes: 118_784,
    });
  });

  it('orders by creation before name (a received snapshot keeps its creation time)', () => {
    const output = ['p/d@1763782800009\tcreation\t100', 'p/d@1763782800001\tcreation\t200'].flatMap((line) => {
      const name = line.split('\t')[0] ?? '';
      return [line, `${name}\tused\t0`, `${name}\treferenced\t0`];
    });
    expect(parseSnapshotList('p/d', output.join('\n')).map((s) => s.snapshot)).toEqual(['1763782800009', '1763782800001']);
  });

  it('returns nothing for a dataset without snapshots', () => {
    expect(parseSnapshotList('p/d', 'p/d\tcreation\t1\np/d\tused\t1\np/d\treferenced\t1\n')).toEqual([]);
  });

  it('fails loudly on output it cannot read', () => {
    expect(() => parsePropertyRows('p/d creation 1\n')).toThrow(/unexpected zfs output/);
    expect(() => parseSnapshotList('p/d', 'p/d@1763782800000\tcreation\tSun Nov 22  3:47 2026\n')).toThrow(/not an integer/);
  });
});

describe('send size estimate parsing', () => {
  it('reads the size line of OpenZFS `zfs send -nvP`', () => {
    expect(parseSendSizeEstimate('full\tpool/ds@1763782800000\t30100064\nsize\t30100064\n')).toBe(30_100_064);
    expect(parseSendSizeEstimate('incremental\t1763782800000\tpool/ds@1763782800001\t9568\nsize\t9568\n')).toBe(9568);
  });

  it('falls back to the full/incremental line, else undefined', () => {
    expect(parseSendSizeEstimate('full\tpool/ds@1763782800000\t4096\n')).toBe(4096);
    expect(parseSendSizeEstimate('send from @1 to pool/ds@2 estimated size is 1.2M\n')).toBeUndefined();
  });

  it('recognises zfs-fuse rejecting -n / -P', () => {
    expect(isUnsupportedOptionStderr("invalid option 'n'\nusage:\n\tsend [-RDp] [-[iI] snapshot] <snapshot>\n")).toBe(true);
    expect(isUnsupportedOptionStderr("cannot open 'p/d': dataset does not exist")).toBe(false);
  });
});

describe('command errors', () => {
  it('names the command line and its stderr, and keeps both in details', () => {
    const error = commandError('zfs', ['rollback', 'p/d@1763782800000'], {
      exitCode: 1,
      signal: undefined,
      stderr: "cannot rollback to 'p/d@1763782800000': more recent snapshots exist\nuse '-r' to force deletion\n",
    });
    expect(isDugongError(error, 'DUGONG_ERR_COMMAND_FAILED')).toBe(true);
    expect(error.message).toContain('zfs rollback p/d@1763782800000 failed (exit 1)');
    expect(error.message).toContain('more recent snapshots exist');
    expect(error.details).toMatchObject({ command: 'zfs', args: ['rollback', 'p/d@1763782800000'], exitCode: 1 });
    expect(error.details['stderr']).toMatch(/^cannot rollback/);
  });

  it('maps "does not exist" to DUGONG_ERR_ZFS_NOT_FOUND', () => {
    for (const stderr of [
      "cannot open 'p/nope': dataset does not exist",
      'WARNING: could not send p/d@1999999999999: does not exist',
      "warning: cannot send 'p/d@1763782800001': incremental source (@1999999999999) does not exist",
    ]) {
      expect(isNotFoundStderr(stderr)).toBe(true);
      expect(commandError('zfs', ['x'], { exitCode: 1, signal: undefined, stderr }).code).toBe('DUGONG_ERR_ZFS_NOT_FOUND');
    }
  });

  it('truncates a huge stderr (zfs-fuse prints its whole usage)', () => {
    const error = commandError('zfs', ['get'], { exitCode: 2, signal: undefined, stderr: 'x'.repeat(10_000) });
    expect(String(error.details['stderr']).length).toBeLessThan(4200);
  });

  it('quotes only arguments that need it', () => {
    expect(formatCommandLine('zfs', ['set', 'dugong:note=two words', 'p/d'])).toBe("zfs set 'dugong:note=two words' p/d");
    expect(formatCommandLine('zfs', ['send', '-i', 'p/d@1', 'p/d@2'])).toBe('zfs send -i p/d@1 p/d@2');
  });
});

describe('send and receive argument vectors', () => {
  const dataset = parseDatasetName('pool/ds');
  const snapshot = parseSnapshotName('1763782800001');

  it('builds full and incremental sends with full snapshot names', () => {
    expect(sendArgs({ snapshot: { dataset, snapshot } })).toEqual(['send', 'pool/ds@1763782800001']);
    expect(sendArgs({ snapshot: { dataset, snapshot }, from: parseSnapshotName('1763782800000') })).toEqual([
      'send',
      '-i',
      'pool/ds@1763782800000',
      'pool/ds@1763782800001',
    ]);
  });

  it('re-validates names that were only cast to the branded types', () => {
    const bad = '../etc' as DatasetName;
    expect(() => sendArgs({ snapshot: { dataset: bad, snapshot } })).toThrow(/DUGONG_ERR_ZFS_NAME_INVALID/);
    expect(() => sendArgs({ snapshot: { dataset, snapshot }, from: '-R' as never })).toThrow(/DUGONG_ERR_ZFS_NAME_INVALID/);
    expect(() => sendArgs({ snapshot: { dataset, snapshot }, from: snapshot })).toThrow(/to itself/);
    expect(() => receiveArgs('-o' as DatasetName, {})).toThrow(/DUGONG_ERR_ZFS_NAME_INVALID/);
  });

  it('receives unmounted unless asked, and forces only when asked', () => {
    expect(receiveArgs(dataset, {})).toEqual(['recv', '-u', 'pool/ds']);
    expect(receiveArgs(dataset, { mount: true, force: true })).toEqual(['recv', '-F', 'pool/ds']);
  });
});
