// The chaos report: report.json (numbers, verdicts, every fault) and timeline.txt (faults, role changes, write gaps), written as the run goes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { longestGapPerFault, summarizeKinds, writeGaps, type FaultWindow, type KindSummary, type SafetyVerdict } from './checker.js';
import type { FaultRecord } from './loop.js';
import type { Timeline } from './timeline.js';
import type { Ack } from './workload.js';

/** The shard must be back to primary + caught-up sync this soon after the last fault is healed. */
export const CONVERGENCE_LIMIT_MS = 30_000;
/** Write gaps at least this long are listed in the timeline. */
const TIMELINE_GAP_MS = 1_000;

export type RunStatus = 'running' | 'passed' | 'unsafe' | 'stuck' | 'failed';

export interface ReportInput {
  readonly seed: number;
  readonly faultsPlanned: number;
  readonly command: string;
  readonly sessionTimeoutMs: number;
  readonly storage: string;
  readonly rebuild: string;
  readonly kinds: readonly string[];
  readonly startedAtMs: number;
  readonly code: { readonly commit: string; readonly dirty: boolean };
  readonly faults: readonly FaultRecord[];
  readonly acks: readonly Ack[];
  readonly writeFailures: number;
  readonly rebuilds: number;
  readonly verdict: SafetyVerdict | null;
  readonly finalPrimary: string | null;
  readonly error: string | null;
  readonly stuck: boolean;
}

function windows(faults: readonly FaultRecord[], endMs: number): FaultWindow[] {
  return faults.map((f, i) => ({ index: f.index, kind: f.kind, startMs: f.injectedAtMs, endMs: faults[i + 1]?.injectedAtMs ?? endMs }));
}

function statusOf(input: ReportInput, convergedMs: number | null): RunStatus {
  if (input.error !== null) return 'failed';
  if (input.verdict === null) return 'running';
  if (input.verdict.lost.length > 0 || input.verdict.splitBrain.length > 0) return 'unsafe';
  if (input.stuck || convergedMs === null || convergedMs > CONVERGENCE_LIMIT_MS) return 'stuck';
  return 'passed';
}

export function buildReport(input: ReportInput): Record<string, unknown> {
  const endMs = Date.now();
  const gapByFault = longestGapPerFault(input.acks, windows(input.faults, endMs));
  const byKind: KindSummary[] = summarizeKinds(windows(input.faults, endMs), gapByFault);
  const last = input.faults[input.faults.length - 1];
  const convergedMs = last === undefined ? null : last.recoveredMs;
  const v = input.verdict;
  return {
    status: statusOf(input, convergedMs), seed: input.seed, replay: input.command, error: input.error,
    startedAt: new Date(input.startedAtMs).toISOString(), durationMs: endMs - input.startedAtMs,
    sessionTimeoutMs: input.sessionTimeoutMs, storage: input.storage, rebuild: input.rebuild, kinds: input.kinds, code: input.code,
    faults: { planned: input.faultsPlanned, injected: input.faults.length, byKind },
    writes: {
      acknowledged: input.acks.length, failedAttempts: input.writeFailures, longestGapMs: Math.max(0, ...writeGaps(input.acks, 0).map((g) => g.lengthMs)),
      lost: v?.lost.length ?? null, lostIds: v?.lost.slice(0, 100) ?? null, finalPrimary: input.finalPrimary,
    },
    splitBrain: { samples: v?.samples ?? null, splitBrainSamples: v?.splitBrain.length ?? null, examples: v?.splitBrain.slice(0, 20) ?? null },
    convergence: {
      limitMs: CONVERGENCE_LIMIT_MS, afterLastFaultPrimaryAndSyncMs: convergedMs, afterLastFaultFullyHealthyMs: last?.healthyMs ?? null,
      faultsNotRecoveredWithinLimit: input.faults.filter((f) => f.recoveredMs === null || f.recoveredMs > CONVERGENCE_LIMIT_MS).map((f) => f.index + 1),
    },
    rebuilds: input.rebuilds,
    faultList: input.faults.map((f) => ({ ...f, number: f.index + 1, longestGapMs: gapByFault.get(f.index) ?? 0 })),
  };
}

/** Adds the long write gaps to the timeline, each with the fault during which it began. */
export function addGaps(timeline: Timeline, acks: readonly Ack[], faults: readonly FaultRecord[]): void {
  for (const gap of writeGaps(acks, TIMELINE_GAP_MS)) {
    const during = [...faults].reverse().find((f) => f.injectedAtMs <= gap.fromMs);
    const cause = during === undefined ? 'before the first fault' : `during #${during.index + 1} ${during.kind}`;
    timeline.events.push({ atMs: gap.fromMs, kind: 'gap', text: `no acknowledged write for ${gap.lengthMs} ms (${cause})` });
  }
}

export async function writeReport(outDir: string, report: Record<string, unknown>, timeline: Timeline): Promise<void> {
  await writeFile(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const header = `chaos run, seed ${String(report['seed'])}, status ${String(report['status'])}; replay: ${String(report['replay'])}\n\n`;
  await writeFile(join(outDir, 'timeline.txt'), header + timeline.render());
}
