// `dugong-adm freeze -r REASON`: stops every generation change (failover, promotion) until unfrozen.
import type { ClusterState } from '../schema/index.js';
import { withCoordinator } from './coordinator.js';
import { changeState, type Change } from './mutate.js';
import { report } from './output.js';
import { EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

/** PURE. Freezing twice would overwrite the first reason and date, so it is refused. */
export function freezeChange(state: ClusterState, reason: string, nowIso: string): Change {
  if (state.freeze !== undefined) return { kind: 'refused', reason: `already frozen since ${state.freeze.date}: ${state.freeze.reason}` };
  return { kind: 'write', next: { ...state, freeze: { date: nowIso, reason } } };
}

export async function freezeVerb(ctx: AdmContext, options: { readonly reason: string }): Promise<ExitStatus> {
  const nowIso = new Date(ctx.deps.clock.now()).toISOString();
  const result = await withCoordinator(ctx, (coordinator) =>
    changeState(coordinator, ctx.target.shardPath, (state) => freezeChange(state, options.reason, nowIso)),
  );
  const state = result.kind === 'written' ? result.after : result.state;
  report(ctx, { frozen: true, generation: state.generation, freeze: state.freeze }, () => [
    `frozen: generation ${state.generation} stays as it is (no failover, no promotion) until \`dugong-adm unfreeze\``,
  ]);
  return EXIT_OK;
}
