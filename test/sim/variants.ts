// The three deliberately broken decide() variants the simulator must catch, built from the test-only createDecide.
import type { DecideFn } from '../../src/fsm/index.js';
import { createDecide, type Faults } from '../../src/fsm/testing.js';

export const VARIANTS = ['a', 'b', 'c'] as const;
export type Variant = (typeof VARIANTS)[number];

export const VARIANT_FAULTS: Readonly<Record<Variant, Faults>> = {
  a: { skipInitWalCheck: true },
  b: { writesBeforeSyncCaughtUp: true },
  c: { takeoverWhilePrimaryPresent: true },
};

export const VARIANT_NAMES: Readonly<Record<Variant, string>> = {
  a: 'takeover without the initWal check',
  b: 'writes on before the sync caught up',
  c: "takeover while the primary's node is present",
};

export function decideForVariant(variant: Variant): DecideFn {
  return createDecide(VARIANT_FAULTS[variant]);
}
