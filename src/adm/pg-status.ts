// `dugong-adm pg-status [PERIOD [COUNT]]`: every peer's PostgreSQL in chain order, optionally every PERIOD seconds.
import type { Coordinator } from '../coord/index.js';
import { formatPgStatus, pgStatusJson } from './format-pg-status.js';
import { withCoordinator } from './coordinator.js';
import { report } from './output.js';
import { gatherSnapshot } from './snapshot.js';
import { EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

export interface PgStatusOptions {
  /** Seconds between reports; undefined = report once. */
  readonly periodSeconds?: number;
  /** How many reports; undefined with a period = until interrupted. */
  readonly count?: number;
}

async function reportOnce(ctx: AdmContext, coordinator: Coordinator, repeated: boolean): Promise<void> {
  const snapshot = await gatherSnapshot(ctx, coordinator);
  const atIso = new Date(ctx.deps.clock.now()).toISOString();
  // Repeated text reports are told apart by their time; JSON carries it in every document.
  report(ctx, pgStatusJson(snapshot, atIso), () => [...(repeated ? ['', atIso] : []), ...formatPgStatus(snapshot)]);
}

export async function pgStatusVerb(ctx: AdmContext, options: PgStatusOptions): Promise<ExitStatus> {
  const periodMs = options.periodSeconds === undefined ? undefined : options.periodSeconds * 1000;
  const count = periodMs === undefined ? 1 : (options.count ?? Number.POSITIVE_INFINITY);
  await withCoordinator(ctx, async (coordinator) => {
    for (let done = 0; done < count; done += 1) {
      if (done > 0 && periodMs !== undefined) await ctx.deps.clock.sleep(periodMs);
      await reportOnce(ctx, coordinator, periodMs !== undefined);
    }
  });
  return EXIT_OK;
}
