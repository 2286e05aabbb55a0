// `dugong-adm promote -n PEER -r sync|async [-i INDEX]`: planned switchover (or async → sync), checked, requested, and followed to its outcome.
import type { Coordinator } from '../coord/index.js';
import { DugongError } from '../errors.js';
import type { ClusterState, Peer, PromoteRequest } from '../schema/index.js';
import { withCoordinator } from './coordinator.js';
import { readValidState, writeOperatorState } from './mutate.js';
import { printError, report } from './output.js';
import { lagRefusal, planPromote, targetLag, type PromoteAsk } from './promote-plan.js';
import type { PromoteOutcome } from './promote-outcome.js';
import { waitForPromote } from './promote-wait.js';
import { waitForWritable } from './writable-wait.js';
import { EXIT_FAILED, EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

export interface PromoteOptions extends PromoteAsk {
  readonly maxLagBytes: number;
  readonly force: boolean;
  readonly ttlSeconds: number;
  readonly wait: boolean;
}

type Settled = Exclude<PromoteOutcome, { kind: 'pending' }>;

interface Requested {
  readonly request: PromoteRequest;
  readonly target: Peer;
  readonly lagBytes: number | null;
  readonly warnings: readonly string[];
}

/** Checks, measures the target's lag and writes the request against the version it checked. */
async function request(ctx: AdmContext, coordinator: Coordinator, options: PromoteOptions): Promise<Requested> {
  const [{ state, version }, active] = await Promise.all([readValidState(coordinator, ctx.target.shardPath), coordinator.activePeers()]);
  const plan = planPromote(state, active, options, ctx.deps.clock.now(), options.ttlSeconds * 1000);
  if (!plan.ok) throw new DugongError('DUGONG_ERR_ADM_REFUSED', plan.reason);
  const [primaryPg, targetPg] = await Promise.all([state.primary, plan.target].map((peer) => ctx.deps.probe(peer, ctx.probeTimeoutMs)));
  const lag = primaryPg !== undefined && targetPg !== undefined ? targetLag(primaryPg, targetPg) : 'no probe';
  const refusal = lagRefusal(lag, options.maxLagBytes);
  if (refusal !== null && !options.force) throw new DugongError('DUGONG_ERR_ADM_REFUSED', `${refusal}; pass --force to promote anyway`);
  await writeOperatorState(coordinator, { ...state, promote: plan.request }, version);
  return { request: plan.request, target: plan.target, lagBytes: typeof lag === 'number' ? lag : null, warnings: refusal === null ? [] : [`--force: ${refusal}`] };
}

function describe(state: ClusterState): string {
  const deposed = state.deposed.length === 0 ? '' : `; deposed ${state.deposed.map((peer) => peer.id).join(', ')} (rebuild to rejoin)`;
  return `generation ${state.generation}: primary ${state.primary.id}, sync ${state.sync?.id ?? 'none'}, async ${state.async.map((p) => p.id).join(', ') || 'none'}${deposed}`;
}

function requestedLine(asked: Requested): string {
  const role = asked.request.role === 'sync' ? 'primary' : 'sync';
  const lag = asked.lagBytes === null ? 'lag unknown' : `${asked.lagBytes} bytes behind the primary`;
  return `requested: ${asked.target.id} to become ${role} (${lag}); the request expires at ${asked.request.expireTime}`;
}

function reportOutcome(ctx: AdmContext, asked: Requested, outcome: Settled, writableAfterMs: number | null): ExitStatus {
  const json = { request: asked.request, lagBytes: asked.lagBytes, warnings: asked.warnings, outcome: outcome.kind, writableAfterMs };
  if (outcome.kind === 'failed') {
    const error = new DugongError('DUGONG_ERR_PROMOTE_FAILED', outcome.reason);
    if (ctx.json) report(ctx, { ...json, error: { code: error.code, message: error.message }, state: outcome.state }, () => []);
    else printError(ctx.io, false, error);
    return EXIT_FAILED;
  }
  const writes = writableAfterMs === null ? 'the new primary did not report accepting writes yet: check `dugong-adm show`' : `writes accepted ${writableAfterMs} ms after the new generation was seen`;
  report(ctx, { ...json, state: outcome.state }, () => [`done: ${describe(outcome.state)}`, ...(asked.request.role === 'sync' ? [writes] : [])]);
  return EXIT_OK;
}

export async function promoteVerb(ctx: AdmContext, options: PromoteOptions): Promise<ExitStatus> {
  return withCoordinator(ctx, async (coordinator) => {
    const asked = await request(ctx, coordinator, options);
    for (const warning of asked.warnings) ctx.io.stderr.write(`dugong-adm: warning: ${warning}\n`);
    if (!ctx.json) ctx.io.stdout.write(`${requestedLine(asked)}\n`);
    if (!options.wait) {
      report(ctx, { request: asked.request, lagBytes: asked.lagBytes, warnings: asked.warnings, outcome: 'requested' }, () => []);
      return EXIT_OK;
    }
    const outcome = await waitForPromote(coordinator, ctx.deps.clock, asked.request);
    const writableAfterMs = outcome.kind === 'done' && asked.request.role === 'sync' ? await waitForWritable(ctx, outcome.state.primary) : null;
    return reportOutcome(ctx, asked, outcome, writableAfterMs);
  });
}
