// Mounting zfs commands run under the host-wide mount lock; the others run as they are.
import { describe, expect, it } from 'vitest';
import { defaultMountLockFile, DEFAULT_MOUNT_LOCK_FILE, mountsFileSystems, spawnSpecFor } from '../../src/zfs/mount-lock.js';

describe('zfs mount lock', () => {
  it('knows which commands mount a file system', () => {
    for (const args of [['create', '-o', 'mountpoint=/x', 'p/a'], ['mount', 'p/a'], ['set', 'mountpoint=/y', 'p/a'], ['rename', 'p/a', 'p/b'], ['rollback', 'p/a@1'], ['promote', 'p/a'], ['recv', 'p/a']]) {
      expect(mountsFileSystems(args), args.join(' ')).toBe(true);
    }
    for (const args of [['list', '-H'], ['get', 'all', 'p/a'], ['snapshot', 'p/a@1'], ['send', 'p/a@1'], ['recv', '-u', 'p/a'], ['destroy', 'p/a'], []]) {
      expect(mountsFileSystems(args), args.join(' ')).toBe(false);
    }
  });

  it('wraps a mounting command in flock, whose descriptor zfs inherits, with a bounded wait', () => {
    expect(spawnSpecFor('zfs', ['mount', 'p/a'], '/run/lock/l', 60_000)).toEqual({
      file: 'flock',
      args: ['-w', '60', '-E', '75', '/run/lock/l', 'zfs', 'mount', 'p/a'],
    });
    expect(spawnSpecFor('zfs', ['list'], '/run/lock/l', 60_000)).toEqual({ file: 'zfs', args: ['list'] });
    expect(spawnSpecFor('zfs', ['mount', 'p/a'], null, 60_000)).toEqual({ file: 'zfs', args: ['mount', 'p/a'] });
  });

  it('locks on Linux by default and nowhere else', () => {
    expect(defaultMountLockFile('linux')).toBe(DEFAULT_MOUNT_LOCK_FILE);
    expect(defaultMountLockFile('sunos')).toBeNull();
  });
});
