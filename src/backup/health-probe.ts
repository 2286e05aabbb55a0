// Asks the sitter's status API whether PostgreSQL is healthy (GET /ping → 200), bounded by a timeout.
import { describeFetchError } from './fetch-error.js';
import type { Clock } from '../platform/clock.js';

export interface HealthResult {
  readonly healthy: boolean;
  /** What was seen, for the log: `HTTP 200`, `HTTP 503`, `timed out after 5000 ms`, a connection error. */
  readonly detail: string;
}

export type HealthProbe = () => Promise<HealthResult>;

export interface HttpHealthProbeOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly clock: Clock;
}

/** Healthy only on 200: a 503, a timeout or no answer at all means "do not snapshot now". */
export function httpHealthProbe(options: HttpHealthProbeOptions): HealthProbe {
  return async () => {
    const controller = new AbortController();
    const timer = options.clock.setTimer(options.timeoutMs, () => controller.abort());
    try {
      const response = await fetch(options.url, { signal: controller.signal, headers: { accept: 'application/json' } });
      // Read the body so the connection is released (it is small).
      await response.arrayBuffer();
      return { healthy: response.status === 200, detail: `HTTP ${response.status}` };
    } catch (error) {
      return { healthy: false, detail: controller.signal.aborted ? `timed out after ${options.timeoutMs} ms` : describeFetchError(error) };
    } finally {
      timer.cancel();
    }
  };
}
