// The simulator's self-test: each deliberately broken decide() must be caught within the same seed budget, for the right reason.
import { describe, expect, it } from 'vitest';
import type { ViolationKind } from './checkers.js';
import { DEFAULT_STEPS, runSeed, SIM_SEEDS } from './run.js';
import { decideForVariant, VARIANT_NAMES, type Variant } from './variants.js';

/** What each broken variant endangers, i.e. which checkers may legitimately catch it. */
const EXPECTED: Readonly<Record<Variant, readonly ViolationKind[]>> = {
  a: ['takeover-initwal', 'lost-write'],
  b: ['ack-without-sync', 'lost-write', 'split-brain'],
  c: ['takeover-node-present', 'split-brain', 'deposed-acked', 'deposed-writable'],
};

/**
 * The first seeds that catch each variant, recorded from `npm run sim -- --seeds 2000 --variant X`. They pin
 * determinism: a change to the simulator or the state machine that moves them needs a deliberate update here.
 */
export const FIRST_CATCHING_SEED: Readonly<Record<Variant, number>> = { a: 21, b: 5, c: 1 };

function firstCatch(variant: Variant): { seed: number; kind: ViolationKind; message: string } | null {
  const decide = decideForVariant(variant);
  for (let seed = 1; seed <= SIM_SEEDS; seed += 1) {
    const violation = runSeed({ seed, steps: DEFAULT_STEPS, decide }).violations[0];
    if (violation !== undefined) return { seed, kind: violation.kind, message: violation.message };
  }
  return null;
}

describe('broken variants are caught', () => {
  for (const variant of ['a', 'b', 'c'] as const) {
    it(`(${variant}) ${VARIANT_NAMES[variant]}`, () => {
      const caught = firstCatch(variant);
      expect(caught, `variant ${variant} survived ${SIM_SEEDS} seeds`).not.toBeNull();
      console.info(`variant ${variant} (${VARIANT_NAMES[variant]}): first caught by seed ${caught?.seed}: [${caught?.kind}] ${caught?.message}`);
      expect(EXPECTED[variant]).toContain(caught?.kind);
      expect(caught?.seed).toBe(FIRST_CATCHING_SEED[variant]);
    });
  }
});
