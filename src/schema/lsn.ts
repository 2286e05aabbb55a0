// PostgreSQL WAL positions ("X/Y" hex halves): validation, parsing to a 64-bit number, and ordering.
import { z } from 'zod';

const LSN_PATTERN = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;

export const LsnSchema = z.string().regex(LSN_PATTERN, 'must be a WAL position like "0/3000060"');
export type Lsn = z.infer<typeof LsnSchema>;

export const ZERO_LSN: Lsn = '0/0';

/** Both halves matter: "1/0" is past "0/FFFFFFFF"; comparing strings or only the low half is wrong. */
export function lsnToBigInt(lsn: Lsn): bigint {
  const match = LSN_PATTERN.exec(lsn);
  if (match === null) throw new RangeError(`not a WAL position: ${JSON.stringify(lsn)}`);
  const [high = '0', low = '0'] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

export function bigIntToLsn(position: bigint): Lsn {
  if (position < 0n || position > 0xffffffffffffffffn) throw new RangeError(`WAL position out of range: ${position}`);
  const high = (position >> 32n).toString(16).toUpperCase();
  const low = (position & 0xffffffffn).toString(16).toUpperCase();
  return `${high}/${low}`;
}

/** Negative when a is behind b, zero when equal, positive when a is ahead. */
export function compareLsn(a: Lsn, b: Lsn): number {
  const diff = lsnToBigInt(a) - lsnToBigInt(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

export function lsnAtLeast(a: Lsn, b: Lsn): boolean {
  return compareLsn(a, b) >= 0;
}

/** Bytes from `behind` to `ahead`; 0 when `behind` is not behind. */
export function lsnDistanceBytes(ahead: Lsn, behind: Lsn): bigint {
  const diff = lsnToBigInt(ahead) - lsnToBigInt(behind);
  return diff > 0n ? diff : 0n;
}
