// Prints a chaos report.json as the Markdown tables of docs/verification.md: `node --import tsx test/chaos/summarize.ts <report.json>`.
import { readFile } from 'node:fs/promises';

interface KindRow {
  kind: string;
  count: number;
  longestGapMs: number;
  medianLongestGapMs: number;
}

interface FaultRow {
  kind: string;
  recoveredMs: number | null;
  healthyMs: number | null;
}

interface Report {
  status: string;
  seed: number;
  replay: string;
  startedAt: string;
  durationMs: number;
  faults: { planned: number; injected: number; byKind: KindRow[] };
  writes: { acknowledged: number; failedAttempts: number; lost: number | null; finalPrimary: string | null; longestGapMs: number };
  splitBrain: { samples: number | null; splitBrainSamples: number | null };
  convergence: { afterLastFaultPrimaryAndSyncMs: number | null; afterLastFaultFullyHealthyMs: number | null; faultsNotRecoveredWithinLimit: number[] };
  rebuilds: number;
  faultList: FaultRow[];
  cleanup?: { clean: boolean };
}

const seconds = (ms: number | null): string => (ms === null ? '-' : (ms / 1000).toFixed(1));

function maxRecovery(faults: readonly FaultRow[], kind: string): number | null {
  const values = faults.filter((f) => f.kind === kind).map((f) => f.recoveredMs).filter((v): v is number => v !== null);
  return values.length === 0 ? null : Math.max(...values);
}

function render(report: Report): string {
  const lines = [
    `- status: **${report.status}**, seed ${report.seed}, started ${report.startedAt}, ${(report.durationMs / 60_000).toFixed(1)} min`,
    `- command: \`${report.replay}\``,
    `- faults injected: ${report.faults.injected} of ${report.faults.planned}; rebuilds done (operator procedure): ${report.rebuilds}`,
    `- acknowledged writes: ${report.writes.acknowledged} (failed attempts: ${report.writes.failedAttempts}); **lost: ${report.writes.lost ?? '-'}** (final primary ${report.writes.finalPrimary ?? '-'})`,
    `- split-brain samples: **${report.splitBrain.splitBrainSamples ?? '-'}** of ${report.splitBrain.samples ?? '-'} samples (every 100 ms)`,
    `- after the last fault: primary + caught-up sync in ${seconds(report.convergence.afterLastFaultPrimaryAndSyncMs)} s, fully healthy in ${seconds(report.convergence.afterLastFaultFullyHealthyMs)} s; faults after which primary + sync took over 30 s: ${report.convergence.faultsNotRecoveredWithinLimit.length === 0 ? 'none' : report.convergence.faultsNotRecoveredWithinLimit.join(', ')}`,
    `- cleanup: ${report.cleanup === undefined ? '-' : report.cleanup.clean ? 'nothing left behind' : 'LEFTOVERS'}`,
    '',
    '| fault kind | count | longest write gap (s) | median of per-fault longest gap (s) | longest recovery to primary + sync (s) |',
    '|---|---:|---:|---:|---:|',
    ...report.faults.byKind.map((k) => `| ${k.kind} | ${k.count} | ${seconds(k.longestGapMs)} | ${seconds(k.medianLongestGapMs)} | ${seconds(maxRecovery(report.faultList, k.kind))} |`),
  ];
  return `${lines.join('\n')}\n`;
}

const path = process.argv[2];
if (path === undefined) {
  console.error('usage: summarize.ts <report.json>');
  process.exit(2);
}
process.stdout.write(render(JSON.parse(await readFile(path, 'utf8')) as Report));
