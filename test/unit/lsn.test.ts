// WAL positions: both halves matter; comparison agrees with the 64-bit value for every pair.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigIntToLsn, compareLsn, lsnAtLeast, lsnDistanceBytes, lsnToBigInt, LsnSchema } from '../../src/schema/index.js';

const position = fc.bigInt({ min: 0n, max: 0xffffffffffffffffn });

describe('LSN', () => {
  it('orders "1/0" after "0/FFFFFFFF" (string or low-half comparison would not)', () => {
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBe(1);
    expect(compareLsn('0/FFFFFFFF', '1/0')).toBe(-1);
    expect(lsnAtLeast('1/0', '0/FFFFFFFF')).toBe(true);
    expect(lsnDistanceBytes('1/0', '0/FFFFFFFF')).toBe(1n);
  });

  it('compares "0/3000060" and "0/3000000" by value and ignores case and leading zeros', () => {
    expect(compareLsn('0/3000060', '0/3000000')).toBe(1);
    expect(compareLsn('0/a', '0/A')).toBe(0);
    expect(compareLsn('00000001/00000000', '1/0')).toBe(0);
    expect(compareLsn('0/9', '0/10')).toBe(-1);
  });

  it('round-trips and orders every 64-bit position like the number itself', () => {
    fc.assert(
      fc.property(position, position, (a, b) => {
        const [la, lb] = [bigIntToLsn(a), bigIntToLsn(b)];
        expect(LsnSchema.safeParse(la).success).toBe(true);
        expect(lsnToBigInt(la)).toBe(a);
        expect(compareLsn(la, lb)).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(lsnDistanceBytes(la, lb)).toBe(a > b ? a - b : 0n);
      }),
    );
  });

  it('rejects what is not a WAL position', () => {
    for (const bad of ['', '0', '0/', '/0', 'G/0', '0/123456789', '1/2/3', ' 0/0']) {
      expect(LsnSchema.safeParse(bad).success).toBe(false);
      expect(() => lsnToBigInt(bad)).toThrow(RangeError);
    }
  });
});
