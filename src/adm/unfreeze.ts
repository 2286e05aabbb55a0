// `dugong-adm unfreeze`: lets the sitters change generations again.
import type { ClusterState } from '../schema/index.js';
import { withCoordinator } from './coordinator.js';
import { changeState, type Change } from './mutate.js';
import { report } from './output.js';
import { EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

/** PURE. */
export function unfreezeChange(state: ClusterState): Change {
  if (state.freeze === undefined) return { kind: 'unchanged', message: 'not frozen: nothing to do' };
  const { freeze: _freeze, ...rest } = state;
  return { kind: 'write', next: rest };
}

export async function unfreezeVerb(ctx: AdmContext): Promise<ExitStatus> {
  const result = await withCoordinator(ctx, (coordinator) => changeState(coordinator, ctx.target.shardPath, unfreezeChange));
  if (result.kind === 'unchanged') {
    report(ctx, { frozen: false, changed: false }, () => [result.message]);
    return EXIT_OK;
  }
  const was = result.before.freeze;
  report(ctx, { frozen: false, changed: true, was }, () => [`unfrozen (was frozen since ${was?.date ?? '?'}: ${was?.reason ?? '?'})`]);
  return EXIT_OK;
}
