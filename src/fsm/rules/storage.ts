// Rule 14: storage that has not answered a check for storageStallBudgetMs is stalled (docs/protocol.md).
import type { SitterState } from '../types.js';

export type StorageVerdict =
  | { readonly kind: 'answering' }
  | {
      readonly kind: 'stalled';
      readonly code: 'storage-stalled';
      /** Since when it has not answered: its last answer, or when this process started watching it. */
      readonly silentSinceMs: number;
      readonly silentMs: number;
      readonly why: string;
    };

const ANSWERING: StorageVerdict = { kind: 'answering' };

function wholeSeconds(ms: number): number {
  return (ms - (ms % 1000)) / 1000;
}

/**
 * Stalled storage cannot be trusted to keep what PostgreSQL writes, nor to let it stop cleanly: a primary on it
 * gives up (rules/give-up.ts), a standby leaves the election so that it is not chosen as the new sync.
 */
export function storageVerdict(state: SitterState, nowMs: number): StorageVerdict {
  const storage = state.storage;
  const silentSinceMs = storage.lastAnsweredAtMs ?? storage.watchedSinceMs;
  if (silentSinceMs === null) return ANSWERING;
  const silentMs = nowMs - silentSinceMs;
  if (silentMs < state.config.storageStallBudgetMs) return ANSWERING;
  const detail = storage.lastError === null ? 'the last check is still running' : `the last check failed: ${storage.lastError}`;
  return { kind: 'stalled', code: 'storage-stalled', silentSinceMs, silentMs, why: `my storage has not answered for ${wholeSeconds(silentMs)} s (${detail})` };
}
