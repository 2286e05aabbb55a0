// `dugong-adm state`: the raw cluster state as stored (pretty JSON), or its validation problems.
import { withCoordinator } from './coordinator.js';
import { report, toJson } from './output.js';
import { EXIT_FAILED, EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

export async function stateVerb(ctx: AdmContext): Promise<ExitStatus> {
  const read = await withCoordinator(ctx, (coordinator) => coordinator.readState());
  switch (read.kind) {
    case 'absent':
      report(ctx, { kind: 'absent' }, () => [`no cluster state at ${ctx.target.shardPath}/state`]);
      return EXIT_FAILED;
    case 'invalid':
      report(ctx, read, () => [read.raw, ...read.problems.map((problem) => `invalid: ${problem}`)]);
      return EXIT_FAILED;
    case 'valid':
      report(ctx, read, () => [toJson(read.state, 2)]);
      return EXIT_OK;
  }
}
