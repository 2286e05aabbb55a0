// `dugong-adm verify`: checks the replication chain peer by peer; exit status 1 when any check is an error.
import { withCoordinator } from './coordinator.js';
import { findShardProblems, hasErrors, type Finding } from './findings.js';
import { report } from './output.js';
import { gatherSnapshot } from './snapshot.js';
import { EXIT_FAILED, EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

export function formatVerify(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ['ok: the replication chain is as the cluster state says'];
  const lines = findings.map((finding) => `${finding.severity}: ${finding.message}`);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return [...lines, `${errors} errors, ${findings.length - errors} warnings`];
}

export async function verifyVerb(ctx: AdmContext): Promise<ExitStatus> {
  const snapshot = await withCoordinator(ctx, (coordinator) => gatherSnapshot(ctx, coordinator));
  const findings = findShardProblems(snapshot, ctx.deps.clock.now());
  const failed = hasErrors(findings);
  report(ctx, { ok: !failed, findings }, () => formatVerify(findings));
  return failed ? EXIT_FAILED : EXIT_OK;
}
