// Checking the dataset's storage with every probe tick and folding the answers into what the sitter knows.
import { emit, logInfo, patch, takeOpId, type Draft } from './draft.js';
import type { Observation } from './observations.js';
import { storageVerdict } from './rules/storage.js';
import { decided } from './sentences.js';
import type { StorageView } from './types.js';

function patchStorage(d: Draft, changes: Partial<StorageView>): void {
  patch(d, { storage: { ...d.state.storage, ...changes } });
}

/** The stall budget runs from the start of this process until the first answer. */
export function startWatchingStorage(d: Draft): void {
  if (d.state.storage.watchedSinceMs === null) patchStorage(d, { watchedSinceMs: d.nowMs });
}

/**
 * One check at a time, at most every storageCheckIntervalMs while the storage answers; a check that has not come
 * back within the budget is replaced (its executor may be lost).
 */
export function checkStorage(d: Draft): void {
  const { pending, lastAnsweredAtMs } = d.state.storage;
  if (pending !== null && d.nowMs - pending.sinceMs < d.state.config.storageStallBudgetMs) return;
  // Each check is a child process: a fresh answer is good enough for storageCheckIntervalMs (idle CPU).
  if (pending === null && lastAnsweredAtMs !== null && d.nowMs - lastAnsweredAtMs < d.state.config.storageCheckIntervalMs) return;
  const opId = takeOpId(d);
  patchStorage(d, { pending: { opId, sinceMs: d.nowMs } });
  emit(d, { kind: 'checkStorage', opId });
}

/**
 * Any answer, even of a check replaced meanwhile, shows the storage works now; a failure counts only for the check
 * in flight (an old one's failure says nothing about the present).
 */
export function absorbStorageChecked(d: Draft, obs: Extract<Observation, { kind: 'storageChecked' }>): void {
  const storage = d.state.storage;
  const current = storage.pending?.opId === obs.opId;
  if (current) patchStorage(d, { pending: null });
  if (obs.result.kind === 'notAnswering') {
    if (current) patchStorage(d, { lastError: obs.result.error });
    return;
  }
  const before = storageVerdict(d.state, d.nowMs);
  patchStorage(d, { lastAnsweredAtMs: d.nowMs, lastError: null });
  if (before.kind === 'stalled') logInfo(d, decided.storageAnswers(before.silentMs));
}
