// Applies HttpLimits to a fastify server: Node's request/header timeouts, the keep-alive timeout and the connection cap.
import type { Server, ServerOptions } from 'node:http';
import type { Logger } from '../log.js';
import type { HttpLimits } from '../schema/http-limits.js';

export interface FastifyLimitOptions {
  readonly requestTimeout: number;
  readonly keepAliveTimeout: number;
  readonly http: ServerOptions;
}

/**
 * Node enforces the header and request timeouts (408, then close) only when it sweeps its connections, every 30 s by
 * default; sweeping at a quarter of the headers timeout (at most every second) keeps the bound close to the setting.
 * They apply while a request is being received, never while a response is being sent: a long stream is not cut.
 */
export function fastifyLimitOptions(limits: HttpLimits): FastifyLimitOptions {
  const connectionsCheckingInterval = Math.max(25, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4)));
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval },
  };
}

/** Closes connections over the cap as Node accepts them; logs the first refusal and every hundredth, not a flood. */
export function capConnections(server: Server, limits: HttpLimits, log: Logger): void {
  server.maxConnections = limits.maxConnections;
  let dropped = 0;
  server.on('drop', (data) => {
    dropped += 1;
    if (dropped === 1 || dropped % 100 === 0) {
      log.warn({ dropped, maxConnections: limits.maxConnections, remoteAddress: data?.remoteAddress }, 'closed a connection over the connection cap');
    }
  });
}
