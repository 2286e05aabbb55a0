// Rewinds a stopped, diverged data directory to a running source with pg_rewind, for a deposed primary on plain storage.
import { DugongError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { runPgCommand } from './command.js';
import { ensureRoleConfIncluded } from './data-files.js';
import { settleRewindSource } from './rewind-source.js';
import type { PgConnectionTarget, RunAs } from './types.js';

export interface RewindSpec {
  readonly binDir: string;
  readonly dataDir: string;
  readonly runAs: RunAs | undefined;
  /** The new primary; pg_rewind reads its files over a normal connection (superuser or the documented grants). */
  readonly source: PgConnectionTarget;
  readonly timeoutMs: number;
  readonly clock: Clock;
}

/** What pg_rewind did: rewound from the point where the histories split, or nothing because the target is behind. */
export type RewindOutcome =
  | { readonly kind: 'rewound'; readonly divergedAt: string; readonly divergedOnTimeline: number; readonly sourceTimeline: number }
  | { readonly kind: 'not-needed'; readonly sourceTimeline: number };

// How long the source may take to show its promotion's timeline in pg_control (a CHECKPOINT usually does it at once).
const SOURCE_SETTLE_MS = 120_000;
const DIVERGED = /servers diverged at WAL location ([0-9A-F]+\/[0-9A-F]+) on timeline (\d+)/i;
const SAME_TIMELINE = /source and target cluster are on the same timeline/;
const NOT_NEEDED = /no rewind required/;

/** Reads pg_rewind's report (its stderr); "same timeline" is refused: pg_rewind then skips every check. */
export function rewindOutcomeOf(output: string, sourceTimeline: number): RewindOutcome {
  if (SAME_TIMELINE.test(output)) {
    throw new DugongError('DUGONG_ERR_COMMAND_FAILED', 'pg_rewind found the source and the target on the same timeline and compared nothing: the target may have diverged', {
      sourceTimeline,
    });
  }
  const diverged = DIVERGED.exec(output);
  if (diverged?.[1] !== undefined && diverged[2] !== undefined) {
    return { kind: 'rewound', divergedAt: diverged[1], divergedOnTimeline: Number(diverged[2]), sourceTimeline };
  }
  if (NOT_NEEDED.test(output)) return { kind: 'not-needed', sourceTimeline };
  throw new DugongError('DUGONG_ERR_COMMAND_FAILED', `pg_rewind succeeded without saying what it did: ${output.trim().split('\n').slice(-3).join(' | ')}`, { sourceTimeline });
}

/**
 * pg_rewind copies only the blocks that changed since the histories split, so it is much cheaper than a base backup.
 * It needs wal_log_hints (initdb sets it) and the WAL since the split on both sides; when it refuses, the caller falls
 * back to a fresh base backup. PostgreSQL 15 runs crash recovery on a target that was not shut down cleanly first.
 * pg_rewind takes the source's timeline from its control file, so that file is brought up to date first.
 */
export async function rewind(spec: RewindSpec): Promise<RewindOutcome> {
  const { source } = spec;
  const sourceTimeline = await settleRewindSource({ source, clock: spec.clock, timeoutMs: Math.min(SOURCE_SETTLE_MS, spec.timeoutMs) });
  const conninfo = [`host=${source.host}`, `port=${source.port}`, `user=${source.user}`, `dbname=${source.database}`].join(' ');
  const args = ['--target-pgdata', spec.dataDir, '--source-server', conninfo, '--progress'];
  const env = source.password === undefined ? undefined : { PGPASSWORD: source.password };
  const result = await runPgCommand({ binDir: spec.binDir, tool: 'pg_rewind', args, runAs: spec.runAs, timeoutMs: spec.timeoutMs, env });
  const outcome = rewindOutcomeOf(result.stderr, sourceTimeline);
  await ensureRoleConfIncluded(spec.dataDir, spec.runAs);
  return outcome;
}
