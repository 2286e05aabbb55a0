// Parses timeline history files (pg_wal/0000000N.history): where each ancestor timeline was switched away from.
import { DugongError } from '../errors.js';
import type { Lsn } from '../schema/lsn.js';
import { lsnOrNull } from './lsn-values.js';

export interface TimelineSwitch {
  /** The timeline that ended... */
  readonly parentTimeline: number;
  /** ...at this position: WAL past it on parentTimeline is not part of the newer timelines' history. */
  readonly switchLsn: Lsn;
  readonly reason: string;
}

/** "1\t0/4015FF0\tno recovery target specified" per line; '#' comments and blank lines ignored. */
export function parseTimelineHistory(text: string): TimelineSwitch[] {
  const switches: TimelineSwitch[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [timeline = '', lsn = '', ...reason] = trimmed.split(/\s+/);
    const parentTimeline = Number(timeline);
    const switchLsn = lsnOrNull(lsn, 'timeline history switch point');
    if (!Number.isInteger(parentTimeline) || parentTimeline <= 0 || switchLsn === null) {
      throw new DugongError('DUGONG_ERR_WAL_INVALID', `malformed timeline history line: ${JSON.stringify(line)}`, { line });
    }
    switches.push({ parentTimeline, switchLsn, reason: reason.join(' ') });
  }
  return switches;
}

export function timelineHistoryFileName(timeline: number): string {
  return `${timeline.toString(16).toUpperCase().padStart(8, '0')}.history`;
}
