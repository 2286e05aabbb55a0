// PURE: the chaos run's verdicts: acknowledged writes missing on the final primary, split-brain samples, write gaps per fault.
import type { Ack, Sample } from './workload.js';

export interface FaultWindow {
  readonly index: number;
  readonly kind: string;
  readonly startMs: number;
  /** Where the next fault starts (or the run's end). */
  readonly endMs: number;
}

export interface Gap {
  readonly fromMs: number;
  readonly toMs: number;
  readonly lengthMs: number;
}

export interface SafetyVerdict {
  readonly acknowledged: number;
  readonly lost: readonly number[];
  readonly samples: number;
  readonly splitBrain: readonly Sample[];
}

/** Acknowledged ids the final primary does not have. */
export function lostWrites(acks: readonly Ack[], present: ReadonlySet<number>): number[] {
  return acks.filter((ack) => !present.has(ack.id)).map((ack) => ack.id);
}

export function splitBrainSamples(samples: readonly Sample[]): Sample[] {
  return samples.filter((sample) => sample.writable.length > 1);
}

export function verdict(acks: readonly Ack[], present: ReadonlySet<number>, samples: readonly Sample[]): SafetyVerdict {
  return { acknowledged: acks.length, lost: lostWrites(acks, present), samples: samples.length, splitBrain: splitBrainSamples(samples) };
}

/** Times without an acknowledgement longer than `minMs`, between consecutive acks (acks are in acknowledgement order). */
export function writeGaps(acks: readonly Ack[], minMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < acks.length; i += 1) {
    const from = acks[i - 1]?.ackedAtMs ?? 0;
    const to = acks[i]?.ackedAtMs ?? 0;
    if (to - from > minMs) gaps.push({ fromMs: from, toMs: to, lengthMs: to - from });
  }
  return gaps;
}

/** The longest gap that began inside each fault's window (a gap a fault causes starts right after it is injected). */
export function longestGapPerFault(acks: readonly Ack[], windows: readonly FaultWindow[]): Map<number, number> {
  const longest = new Map<number, number>(windows.map((w) => [w.index, 0]));
  for (const gap of writeGaps(acks, 0)) {
    const window = windows.find((w) => gap.fromMs >= w.startMs && gap.fromMs < w.endMs);
    if (window !== undefined) longest.set(window.index, Math.max(longest.get(window.index) ?? 0, gap.lengthMs));
  }
  return longest;
}

export interface KindSummary {
  readonly kind: string;
  readonly count: number;
  readonly longestGapMs: number;
  readonly medianLongestGapMs: number;
}

/** Faults by kind with the longest write gap seen for that kind and the median of the per-fault longest gaps. */
export function summarizeKinds(windows: readonly FaultWindow[], gapByFault: ReadonlyMap<number, number>): KindSummary[] {
  const byKind = new Map<string, number[]>();
  for (const window of windows) byKind.set(window.kind, [...(byKind.get(window.kind) ?? []), gapByFault.get(window.index) ?? 0]);
  return [...byKind].sort(([a], [b]) => a.localeCompare(b)).map(([kind, gaps]) => {
    const sorted = [...gaps].sort((a, b) => a - b);
    return { kind, count: gaps.length, longestGapMs: sorted[sorted.length - 1] ?? 0, medianLongestGapMs: sorted[Math.floor(sorted.length / 2)] ?? 0 };
  });
}
