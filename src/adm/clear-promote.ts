// `dugong-adm clear-promote`: removes a promote request (pending or stale) from the state.
import type { ClusterState } from '../schema/index.js';
import { withCoordinator } from './coordinator.js';
import { changeState, type Change } from './mutate.js';
import { report } from './output.js';
import { EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

/** PURE. */
export function clearPromoteChange(state: ClusterState): Change {
  if (state.promote === undefined) return { kind: 'unchanged', message: 'no promote request: nothing to clear' };
  const { promote: _promote, ...rest } = state;
  return { kind: 'write', next: rest };
}

export async function clearPromoteVerb(ctx: AdmContext): Promise<ExitStatus> {
  const result = await withCoordinator(ctx, (coordinator) => changeState(coordinator, ctx.target.shardPath, clearPromoteChange));
  if (result.kind === 'unchanged') {
    report(ctx, { cleared: null }, () => [result.message]);
    return EXIT_OK;
  }
  const cleared = result.before.promote;
  report(ctx, { cleared }, () => [`cleared the promote request for ${cleared?.id ?? '?'} (${cleared?.role ?? '?'})`]);
  return EXIT_OK;
}
