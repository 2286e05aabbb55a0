// After a switchover: how long until the new primary's PostgreSQL accepts writes (it waits for its own sync to catch up).
import type { Peer } from '../schema/index.js';
import type { AdmContext } from './types.js';

const WRITABLE_WAIT_MS = 30_000;
const POLL_INTERVAL_MS = 100;

/** Milliseconds until the peer is out of recovery with writes on, or null if that did not happen within the budget. */
export async function waitForWritable(ctx: AdmContext, peer: Peer): Promise<number | null> {
  const { clock } = ctx.deps;
  const startedMs = clock.monotonicMs();
  while (clock.monotonicMs() - startedMs < WRITABLE_WAIT_MS) {
    const probe = await ctx.deps.probe(peer, ctx.probeTimeoutMs);
    if (probe.kind === 'up' && !probe.inRecovery && !probe.readOnly) return Math.round(clock.monotonicMs() - startedMs);
    await clock.sleep(POLL_INTERVAL_MS);
  }
  return null;
}
