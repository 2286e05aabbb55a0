// `dugong-adm history`: every state ever written, in write order, with what changed and any anomaly.
import { withCoordinator } from './coordinator.js';
import { annotateHistory } from './history-annotate.js';
import { formatHistory, historyJson } from './format-history.js';
import { report } from './output.js';
import { EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

export async function historyVerb(ctx: AdmContext): Promise<ExitStatus> {
  const entries = await withCoordinator(ctx, (coordinator) => coordinator.readHistory());
  const annotated = annotateHistory(entries);
  report(ctx, historyJson(annotated), () => formatHistory(annotated));
  return EXIT_OK;
}
