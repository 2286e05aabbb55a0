// Stops a postmaster by PID: the mode's signal, a budget, then SIGKILL for it and its children.
import { DugongError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock } from '../platform/clock.js';
import { childPids, isProcessAlive, sendSignal } from './proc.js';
import type { StopMode } from './types.js';

const SIGNAL_FOR_MODE: Readonly<Record<StopMode, NodeJS.Signals>> = { fast: 'SIGINT', immediate: 'SIGQUIT' };
const POLL_INTERVAL_MS = 25;
const KILL_WAIT_MS = 5_000;

export interface StopSpec {
  readonly pid: number;
  readonly mode: StopMode;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly log: Logger;
  /** True once the postmaster has exited, false if it still runs after waitMs (a child's exit event, or polling). */
  readonly waitForExit: (waitMs: number) => Promise<boolean>;
}

export type StopOutcome = 'signalled' | 'killed';

export async function stopPostmaster(spec: StopSpec): Promise<StopOutcome> {
  const { pid, mode, log } = spec;
  // A SIGSTOPped postmaster (or child) would sit on the shutdown signal until someone continues it.
  for (const stopped of [pid, ...(await childPids(pid))]) sendSignal(stopped, 'SIGCONT');
  sendSignal(pid, SIGNAL_FOR_MODE[mode]);
  if (await spec.waitForExit(spec.timeoutMs)) return 'signalled';
  log.warn({ pid, mode, timeoutMs: spec.timeoutMs }, 'PostgreSQL did not stop in time; sending SIGKILL to it and its children');
  // Children first collected, then killed with it: orphaned backends keep the shared memory busy and block the next start.
  const children = await childPids(pid);
  sendSignal(pid, 'SIGKILL');
  for (const child of children) sendSignal(child, 'SIGKILL');
  const gone = await spec.waitForExit(KILL_WAIT_MS);
  if (gone && (await waitUntilGone(children, KILL_WAIT_MS, spec.clock))) return 'killed';
  throw new DugongError('DUGONG_ERR_PG_TIMEOUT', `PostgreSQL (PID ${pid}) survived SIGKILL for ${KILL_WAIT_MS} ms`, { pid, children });
}

/** Polls /proc: for processes that are not our children (a leftover postmaster, orphaned backends). */
export async function waitUntilGone(pids: readonly number[], waitMs: number, clock: Clock): Promise<boolean> {
  const deadlineMs = clock.monotonicMs() + waitMs;
  for (;;) {
    const alive = await Promise.all(pids.map((pid) => isProcessAlive(pid)));
    if (!alive.includes(true)) return true;
    if (clock.monotonicMs() >= deadlineMs) return false;
    await clock.sleep(POLL_INTERVAL_MS);
  }
}

/** Stops processes by signal and waits for them (orphaned backends of a dead postmaster: SIGQUIT, then SIGKILL). */
export async function stopOrphans(pids: readonly number[], clock: Clock, waitMs: number): Promise<void> {
  for (const pid of pids) {
    sendSignal(pid, 'SIGCONT');
    sendSignal(pid, 'SIGQUIT');
  }
  if (await waitUntilGone(pids, waitMs, clock)) return;
  for (const pid of pids) sendSignal(pid, 'SIGKILL');
  if (await waitUntilGone(pids, KILL_WAIT_MS, clock)) return;
  throw new DugongError('DUGONG_ERR_PG_TIMEOUT', `PostgreSQL processes ${pids.join(', ')} survived SIGKILL`, { pids });
}
