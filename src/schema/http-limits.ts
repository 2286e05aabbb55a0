// Config keys bounding a daemon's HTTP server (status API, backup server): request, header and idle timeouts, connection cap.
import { z } from 'zod';

export interface HttpLimits {
  /** From connection (or the end of the previous response) until the request's headers are complete. */
  readonly headersTimeoutMs: number;
  /** Until the whole request, body included, has arrived; a long response (a zfs stream) is not bounded by it. */
  readonly requestTimeoutMs: number;
  /** How long a kept-alive connection may sit idle between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Connections open at once; more are closed as soon as they are accepted. */
  readonly maxConnections: number;
}

/** Health checks and curl: small requests, answers from memory, a few load balancers polling. */
export const STATUS_API_LIMITS: HttpLimits = { headersTimeoutMs: 5_000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 256 };
/** A handful of peers and operators; a stream is one connection however long it runs. */
export const BACKUP_SERVER_LIMITS: HttpLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 10_000, maxConnections: 64 };

const timeoutMs = z.number().int().min(100).max(600_000);

/** The four keys with the given defaults, to spread into a server's config object. */
export function httpLimitsShape(defaults: HttpLimits) {
  return {
    headersTimeoutMs: timeoutMs.default(defaults.headersTimeoutMs),
    requestTimeoutMs: timeoutMs.default(defaults.requestTimeoutMs),
    keepAliveTimeoutMs: timeoutMs.default(defaults.keepAliveTimeoutMs),
    maxConnections: z.number().int().min(1).max(65_536).default(defaults.maxConnections),
  };
}

/** Node refuses a headers timeout longer than the request timeout (the request includes its headers). */
export const HEADERS_WITHIN_REQUEST = {
  check: (limits: Pick<HttpLimits, 'headersTimeoutMs' | 'requestTimeoutMs'>): boolean => limits.headersTimeoutMs <= limits.requestTimeoutMs,
  params: { message: 'must not be longer than requestTimeoutMs', path: ['headersTimeoutMs'] },
};
