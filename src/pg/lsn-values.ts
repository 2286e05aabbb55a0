// Validates WAL positions coming back from the server with the project's LSN schema.
import { DugongError } from '../errors.js';
import { LsnSchema, type Lsn } from '../schema/lsn.js';

/** NULL stays null; anything else must be an "X/Y" position or the reply is reported as malformed. */
export function lsnOrNull(value: unknown, column: string): Lsn | null {
  if (value === null || value === undefined) return null;
  const parsed = LsnSchema.safeParse(value);
  if (!parsed.success) {
    throw new DugongError('DUGONG_ERR_WAL_INVALID', `${column} is not a WAL position: ${JSON.stringify(value)}`, { column, value });
  }
  return parsed.data;
}

/** A timeline id from a WAL file name: its first 8 hex digits. */
export function timelineFromWalFileName(walFileName: string): number {
  const timeline = Number.parseInt(walFileName.slice(0, 8), 16);
  if (!/^[0-9A-F]{24}$/i.test(walFileName) || timeline <= 0) {
    throw new DugongError('DUGONG_ERR_WAL_INVALID', `not a WAL file name: ${JSON.stringify(walFileName)}`, { walFileName });
  }
  return timeline;
}
