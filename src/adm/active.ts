// `dugong-adm active`: the election list: registered peers in registration order, and any node that was skipped.
import type { ActiveList } from '../coord/index.js';
import { withCoordinator } from './coordinator.js';
import { report } from './output.js';
import { renderTable } from './table.js';
import { EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

export function formatActive(active: ActiveList): string[] {
  if (active.entries.length === 0 && active.rejected.length === 0) return ['no peer is registered'];
  const table = renderTable(
    ['SEQ', 'PEER', 'ZONE', 'PG-URL', 'BACKUP-URL'],
    active.entries.map((entry) => [String(entry.seq), entry.peer.id, entry.peer.zoneId, entry.peer.pgUrl, entry.peer.backupUrl]),
  );
  const skipped = active.rejected.map((node) => `warning: skipped election node ${node.nodeName}: ${node.problems.join('; ')}`);
  return [...table, ...skipped];
}

export function activeJson(active: ActiveList): unknown {
  return { entries: active.entries.map((entry) => ({ seq: entry.seq, nodeName: entry.nodeName, ...entry.peer })), rejected: active.rejected };
}

export async function activeVerb(ctx: AdmContext): Promise<ExitStatus> {
  const active = await withCoordinator(ctx, (coordinator) => coordinator.activePeers());
  report(ctx, activeJson(active), () => formatActive(active));
  return EXIT_OK;
}
