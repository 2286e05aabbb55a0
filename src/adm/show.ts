// `dugong-adm show`: the shard header, the peer table and its problems.
import { withCoordinator } from './coordinator.js';
import { findShardProblems } from './findings.js';
import { formatShow, showJson } from './format-show.js';
import { report } from './output.js';
import { gatherSnapshot } from './snapshot.js';
import { EXIT_FAILED, EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

export async function showVerb(ctx: AdmContext): Promise<ExitStatus> {
  const snapshot = await withCoordinator(ctx, (coordinator) => gatherSnapshot(ctx, coordinator));
  const findings = findShardProblems(snapshot, ctx.deps.clock.now());
  report(ctx, showJson(snapshot, findings), () => formatShow(snapshot, findings));
  // show describes; only a shard it cannot describe at all is a failure (verify judges the rest).
  return snapshot.read.kind === 'valid' ? EXIT_OK : EXIT_FAILED;
}
