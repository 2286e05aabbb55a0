// Deliberately broken behaviours that only the simulator's self-test switches on (see testing.ts); production has none.

export interface Faults {
  /** (a) The sync takes over without checking replayed WAL ≥ initWal. */
  readonly skipInitWalCheck?: boolean;
  /** (b) A primary turns writes on right after promotion, before synchronous_standby_names names a caught-up sync. */
  readonly writesBeforeSyncCaughtUp?: boolean;
  /** (c) The sync takes over while the primary's election node is still present (when its stream stalls). */
  readonly takeoverWhilePrimaryPresent?: boolean;
}

export const NO_FAULTS: Faults = Object.freeze({});
