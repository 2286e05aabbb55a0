// Waiting reasons: a stable code (logged once when it changes) and a plain sentence for the status API.
import { logInfo, patch, type Draft } from './draft.js';

export interface Waiting {
  readonly code: string;
  readonly sentence: string;
}

/** Records the current waiting reason; a new reason is logged once, not on every probe. */
export function setWaiting(d: Draft, reason: Waiting | null): void {
  const code = reason?.code ?? null;
  if (code === d.state.waitingCode && reason?.sentence === d.state.waitingReason) return;
  if (reason !== null && code !== d.state.waitingCode) logInfo(d, reason.sentence);
  patch(d, { waitingCode: code, waitingReason: reason?.sentence ?? null });
}
