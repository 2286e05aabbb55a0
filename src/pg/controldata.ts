// pg_controldata of a (possibly stopped) data directory: how it was shut down, its checkpoint and timeline.
import { DugongError } from '../errors.js';
import type { Lsn } from '../schema/lsn.js';
import { runPgCommand } from './command.js';
import { lsnOrNull } from './lsn-values.js';
import type { RunAs } from './types.js';

export interface ControlData {
  /** "shut down", "shut down in recovery", "shutting down", "in crash recovery", "in archive recovery", "in production". */
  readonly clusterState: string;
  readonly checkpointLsn: Lsn;
  readonly redoLsn: Lsn;
  /** The last checkpoint's timeline (lags a promotion until the next checkpoint). */
  readonly checkpointTimeline: number;
  readonly minRecoveryEndLsn: Lsn;
  readonly raw: Readonly<Record<string, string>>;
}

export function parseControlData(text: string): ControlData {
  const raw: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) raw[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  const field = (key: string): string => {
    const value = raw[key];
    if (value === undefined) throw new DugongError('DUGONG_ERR_COMMAND_FAILED', `pg_controldata printed no "${key}"`, { key });
    return value;
  };
  const lsn = (key: string): Lsn => lsnOrNull(field(key), key) ?? '0/0';
  return {
    clusterState: field('Database cluster state'),
    checkpointLsn: lsn('Latest checkpoint location'),
    redoLsn: lsn("Latest checkpoint's REDO location"),
    checkpointTimeline: Number(field("Latest checkpoint's TimeLineID")),
    minRecoveryEndLsn: lsn('Minimum recovery ending location'),
    raw,
  };
}

export async function readControlData(binDir: string, dataDir: string, runAs: RunAs | undefined, timeoutMs: number): Promise<ControlData> {
  const { stdout } = await runPgCommand({ binDir, tool: 'pg_controldata', args: ['-D', dataDir], runAs, timeoutMs });
  return parseControlData(stdout);
}
