// What every zfs operation needs: the command runner, a clock, a logger, and the CLI features found so far.
import type { Clock } from '../platform/clock.js';
import type { CommandRunner } from './command.js';

/** Optional CLI features, probed on first use: undefined = not tried yet. */
export interface ZfsFeatures {
  /** `zfs send -nvP` (dry-run size estimate): OpenZFS and illumos have it, zfs-fuse 0.7 does not. */
  sendDryRun: boolean | undefined;
}

export interface ZfsContext extends CommandRunner {
  readonly clock: Clock;
  /** How long an aborted or failed receive may take to remove its partial dataset (zfs-fuse cleans up asynchronously). */
  readonly receiveCleanupTimeoutMs: number;
  readonly features: ZfsFeatures;
}
