// Promote expiry times are read without Date inside src/fsm; the result must match Date.parse exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoToEpochMs } from '../../src/fsm/index.js';
import { PromoteRequestSchema } from '../../src/schema/index.js';

describe('isoToEpochMs', () => {
  it('reads UTC and offset timestamps like Date.parse', () => {
    for (const iso of ['1970-01-01T00:00:00Z', '2000-02-29T12:34:56.789Z', '2025-01-01T00:00:00+01:00', '2024-12-31T23:59:59.5-05:30']) {
      expect(isoToEpochMs(iso)).toBe(Date.parse(iso));
    }
  });

  it('agrees with Date.parse for any instant between 1900 and 2200', () => {
    const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) });
    fc.assert(
      fc.property(instant, (ms) => {
        expect(isoToEpochMs(new Date(ms).toISOString())).toBe(ms);
      }),
    );
  });

  it('returns null for anything the promote schema would not accept', () => {
    for (const bad of ['2025-01-01', '2025-01-01T00:00Z', '2025-01-01T00:00:00', 'tomorrow']) {
      expect(isoToEpochMs(bad)).toBeNull();
      expect(PromoteRequestSchema.safeParse({ id: '10.0.0.1:5432:10002', role: 'sync', generation: 1, expireTime: bad }).success).toBe(false);
    }
  });
});
