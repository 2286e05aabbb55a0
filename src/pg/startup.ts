// Waits until a freshly spawned postmaster accepts connections, failing fast (with its log) if it exits first.
import { DugongError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { checkHealth } from './health.js';
import { readLogTail } from './postmaster.js';
import type { PgConnectionTarget, PgExit, RunAs } from './types.js';

export interface ReadinessSpec {
  readonly target: PgConnectionTarget;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly exited: Promise<PgExit>;
  readonly logFile: string;
  readonly logOffset: number;
  /** Who may read the log (it lives in the server's user's directory). */
  readonly runAs: RunAs | undefined;
  readonly commandLine: string;
}

const PROBE_INTERVAL_MS = 50;
const PROBE_TIMEOUT_MS = 2_000;

/**
 * "Accepts connections" = a new session can run a query: a hot standby only reaches that once consistent;
 * "the database system is starting up" (57P03) until then counts as not yet.
 */
export async function waitUntilReady(spec: ReadinessSpec): Promise<void> {
  const { clock } = spec;
  let exit: PgExit | null = null;
  void spec.exited.then((value) => {
    exit = value;
  });
  const deadlineMs = clock.monotonicMs() + spec.timeoutMs;
  let lastReason = 'no answer yet';
  for (;;) {
    const remainingMs = deadlineMs - clock.monotonicMs();
    if (remainingMs <= 0) break;
    const health = await checkHealth(spec.target, clock, Math.min(remainingMs, PROBE_TIMEOUT_MS));
    if (health.healthy) return;
    lastReason = health.error.message;
    if (exit !== null) throw await exitedDuringStart(spec, exit);
    await clock.sleep(PROBE_INTERVAL_MS);
    if (exit !== null) throw await exitedDuringStart(spec, exit);
  }
  const tail = await readLogTail(spec.logFile, spec.logOffset, spec.runAs);
  throw new DugongError('DUGONG_ERR_PG_TIMEOUT', `PostgreSQL did not accept connections within ${spec.timeoutMs} ms (${lastReason}); log:\n${tail}`, {
    command: spec.commandLine,
    timeoutMs: spec.timeoutMs,
    logTail: tail,
  });
}

async function exitedDuringStart(spec: ReadinessSpec, exit: PgExit): Promise<DugongError> {
  const tail = await readLogTail(spec.logFile, spec.logOffset, spec.runAs);
  const how = exit.signal === null ? `exit code ${exit.code}` : `signal ${exit.signal}`;
  return new DugongError('DUGONG_ERR_COMMAND_FAILED', `${spec.commandLine} exited during startup (${how}); log:\n${tail}`, {
    command: spec.commandLine,
    exitCode: exit.code,
    signal: exit.signal,
    logTail: tail,
  });
}
