// PURE: the fault schedule drawn from a seed: the same seed and session timeout always give the same list of faults.
import { Rng } from '../sim/rng.js';

export const FAULT_KINDS = [
  'kill-pg', 'kill-sitter', 'kill-both', 'stop-sitter-short', 'stop-sitter-long', 'stop-pg-short', 'stop-pg-long',
  'kill-zk-leader', 'zk-down', 'partition-short', 'partition-long', 'disk-full',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type TargetRole = 'primary' | 'sync' | 'async';

export interface PlannedFault {
  readonly index: number;
  readonly kind: FaultKind;
  /** The role the victim holds when the fault is injected (peer names rotate as roles move). */
  readonly target: TargetRole;
  /** How long the fault lasts before it is healed. */
  readonly holdMs: number;
}

/** A share of the session timeout: "short" ends before the session could expire, "long" well after. */
function holdFor(kind: FaultKind, rng: Rng, sessionTimeoutMs: number): number {
  const share = (low: number, high: number): number => Math.round(sessionTimeoutMs * (low + (high - low) * rng.next()));
  switch (kind) {
    case 'stop-sitter-short':
    case 'stop-pg-short':
    case 'partition-short':
      return share(0.2, 0.6);
    case 'stop-sitter-long':
    case 'stop-pg-long':
    case 'partition-long':
      return share(1.5, 2.5);
    case 'kill-pg':
      return 0;
    default:
      return share(0.5, 2);
  }
}

function targetFor(kind: FaultKind, rng: Rng): TargetRole {
  if (kind === 'disk-full') return rng.pick(['sync', 'async'] as const);
  // The primary is the interesting victim: weight it like the two standbys together.
  return rng.weighted<TargetRole>([[2, 'primary'], [1, 'sync'], [1, 'async']]);
}

export function planFaults(seed: number, count: number, sessionTimeoutMs: number, kinds: readonly FaultKind[] = FAULT_KINDS): PlannedFault[] {
  const rng = new Rng(seed);
  const faults: PlannedFault[] = [];
  for (let index = 0; index < count; index += 1) {
    const kind = rng.pick(kinds);
    faults.push({ index, kind, target: targetFor(kind, rng), holdMs: holdFor(kind, rng, sessionTimeoutMs) });
  }
  return faults;
}
