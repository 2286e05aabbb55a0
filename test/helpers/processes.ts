// Tracks every process a test starts so teardown (and an aborted worker) stops it by PID, never by name.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const tracked = new Map<number, string>();

export function trackPid(pid: number, label: string): void {
  tracked.set(pid, label);
}

export function untrackPid(pid: number): void {
  tracked.delete(pid);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM (or the given signal), wait up to graceMs, then SIGKILL; resolves once the PID is gone. */
export async function stopPid(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) {
    untrackPid(pid);
    return;
  }
  try {
    process.kill(pid, 'SIGCONT');
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(25);
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    while (isAlive(pid)) await sleep(25);
  }
  untrackPid(pid);
}

/** Spawns and tracks a child; the caller stops it with stopPid(child.pid). */
export function spawnTracked(label: string, command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore', ...options });
  if (child.pid === undefined) throw new Error(`could not start ${label} (${command})`);
  trackPid(child.pid, label);
  const pid = child.pid;
  child.once('exit', () => {
    // A reaped child's PID may be reused: forget it as soon as it is gone.
    untrackPid(pid);
  });
  return child;
}

export async function stopAllTracked(): Promise<void> {
  await Promise.all([...tracked.keys()].map((pid) => stopPid(pid, 'SIGKILL', 2_000)));
}

export function trackedPids(): ReadonlyMap<number, string> {
  return tracked;
}

const emergencyHooks = new Set<() => void>();

/**
 * Registers a synchronous last-resort cleanup (e.g. stopping processes that tracked processes started themselves),
 * run when the worker exits or is terminated by a signal without its teardown; returns the unregister function.
 */
export function onEmergencyCleanup(hook: () => void): () => void {
  emergencyHooks.add(hook);
  return () => emergencyHooks.delete(hook);
}

function killTrackedNow(): void {
  for (const hook of emergencyHooks) {
    try {
      hook();
    } catch {
      /* best effort: keep going */
    }
  }
  for (const pid of tracked.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

// Last resort when a worker exits without running teardown: stop every tracked process by PID.
process.once('exit', killTrackedNow);
// A worker terminated by a signal runs no exit hook by itself: stop what it started, then leave as the signal asked.
for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killTrackedNow();
    process.exit(signal === 'SIGTERM' ? 143 : 129);
  });
}
