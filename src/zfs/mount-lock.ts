// Serialises the zfs commands that mount a file system, host-wide: zfs-fuse wedges when two mounts arrive at once.
//
// Why: zfs-fuse hands each new mount to its FUSE listener threads as two separate writes on one pipe (a fixed-size
// record, then the mountpoint). Two mounts at once interleave those writes; the listener then reads a record whose
// length field is part of a path, blocks reading bytes that never come while holding the listener mutex, and no thread
// polls /dev/fuse again. Every file call on every mount of that daemon waits in the kernel (fuse_get_req) while
// `zpool`/`zfs` (another thread) still answer. Seen here as "the first run wedge"; see docs/troubleshooting.md.
// OpenZFS does not need the lock, but it costs one flock(1) per rare mounting command, so Linux takes it always.

/** The lock file every Dugong process on a host shares (tools/lib/setup.sh takes the same one around `zpool import`). */
export const DEFAULT_MOUNT_LOCK_FILE = '/run/lock/dugong-zfs-mount.lock';

/** flock's exit code when the lock was not had in time (so it cannot be mistaken for a zfs failure). */
export const MOUNT_LOCK_BUSY_EXIT = 75;

// Verbs that can mount (create, mount), remount (set/inherit mountpoint or canmount, rename, rollback, promote) a file system.
const MOUNTING_VERBS: ReadonlySet<string> = new Set(['create', 'mount', 'set', 'inherit', 'rename', 'rollback', 'promote', 'clone']);

export function mountsFileSystems(args: readonly string[]): boolean {
  const verb = args[0];
  if (verb === undefined) return false;
  if (verb === 'recv' || verb === 'receive') return !args.includes('-u');
  return MOUNTING_VERBS.has(verb);
}

export interface SpawnSpec {
  readonly file: string;
  readonly args: readonly string[];
}

/**
 * `flock -w <s> -E 75 <lock> zfs <args>` for a mounting command, the plain command otherwise. flock(1) passes its
 * locked descriptor to zfs, so the lock stays held until zfs itself exits, even when flock is killed at a deadline.
 */
export function spawnSpecFor(zfsBinary: string, args: readonly string[], lockFile: string | null, waitMs: number): SpawnSpec {
  if (lockFile === null || !mountsFileSystems(args)) return { file: zfsBinary, args };
  const waitSeconds = Math.max(1, Math.floor(waitMs / 1000));
  return { file: 'flock', args: ['-w', String(waitSeconds), '-E', String(MOUNT_LOCK_BUSY_EXIT), lockFile, zfsBinary, ...args] };
}

export function defaultMountLockFile(platform: NodeJS.Platform = process.platform): string | null {
  return platform === 'linux' ? DEFAULT_MOUNT_LOCK_FILE : null;
}
