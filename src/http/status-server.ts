// The sitter's status API: Manatee-compatible /ping /state /restore, Patroni-style health checks, history, metrics.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { LagQuerySchema } from './lag-query.js';
import { capConnections, fastifyLimitOptions } from '../platform/http-limits.js';
import { STATUS_API_LIMITS, type HttpLimits } from '../schema/http-limits.js';
import { formatIssues } from '../schema/index.js';
import { createMetricsRegistry } from './metrics.js';
import type { StatusSnapshot, StatusSource } from './status-snapshot.js';

export interface StatusServerOptions {
  readonly source: StatusSource;
  readonly logger: Logger;
  readonly historyLimit?: number;
  /** Timeouts and the connection cap (statusApi.* in the sitter config); STATUS_API_LIMITS when absent. */
  readonly limits?: HttpLimits;
  /** `POST /rebuild` (loopback callers only): an operator asks to rebuild this deposed peer. */
  readonly onRebuildRequest?: () => void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

type Check = (snapshot: StatusSnapshot) => boolean;

const servesAsPrimary: Check = (s) => s.role === 'primary' && s.pg.healthy && s.pg.inRecovery === false;
const servesAsStandby = (role: 'sync' | 'async'): Check => (s) => s.role === role && s.pg.healthy && s.pg.inRecovery === true;

function answerCheck(reply: FastifyReply, passed: boolean, snapshot: StatusSnapshot): FastifyReply {
  // Load balancers only look at the status; the body helps a human with curl.
  return reply.code(passed ? 200 : 503).send({ role: snapshot.role, healthy: snapshot.pg.healthy, generation: snapshot.generation });
}

function badRequest(reply: FastifyReply, problems: readonly string[]): FastifyReply {
  return reply.code(400).send({ code: 'DUGONG_ERR_BAD_REQUEST', message: 'invalid query', problems });
}

export function buildStatusServer(options: StatusServerOptions): FastifyInstance {
  const { source } = options;
  const limits = options.limits ?? STATUS_API_LIMITS;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024,
    // A client that sends slowly, or holds connections idle, must not starve the load balancers' health checks.
    ...fastifyLimitOptions(limits),
  });
  capConnections(app.server, limits, options.logger);
  const registry = createMetricsRegistry(source);

  app.get('/ping', (_req, reply) => {
    const { pg, storage } = source.snapshot();
    // Storage that stopped answering makes the peer unhealthy even while PostgreSQL still answers from memory.
    const healthy = pg.healthy && storage.answering;
    const error = pg.error ?? (storage.answering ? null : `storage has not answered since ${storage.notAnsweringSince ?? 'the start'}`);
    return reply.code(healthy ? 200 : 503).send({ healthy, error, lastCheck: pg.lastCheck, storage });
  });
  app.get('/state', () => source.snapshot());
  app.get('/restore', () => ({ restore: source.snapshot().restore }));
  app.get('/history', () => ({ entries: source.history(options.historyLimit ?? 200) }));
  app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));

  app.get('/primary', (_req, reply) => {
    const snapshot = source.snapshot();
    return answerCheck(reply, servesAsPrimary(snapshot), snapshot);
  });
  app.get('/sync', (_req, reply) => {
    const snapshot = source.snapshot();
    return answerCheck(reply, servesAsStandby('sync')(snapshot), snapshot);
  });
  app.get('/async', (_req, reply) => {
    const snapshot = source.snapshot();
    return answerCheck(reply, servesAsStandby('async')(snapshot), snapshot);
  });
  app.get('/health', (_req, reply) => {
    const snapshot = source.snapshot();
    return answerCheck(reply, snapshot.pg.running && snapshot.pg.healthy, snapshot);
  });
  app.get('/replica', (request, reply) => {
    const query = LagQuerySchema.safeParse(request.query);
    if (!query.success) return badRequest(reply, formatIssues(query.error.issues));
    const snapshot = source.snapshot();
    const isReplica = servesAsStandby('sync')(snapshot) || servesAsStandby('async')(snapshot);
    const maxLagBytes = query.data.lag;
    const lagOk = maxLagBytes === undefined || (snapshot.pg.lagBytes !== null && snapshot.pg.lagBytes <= maxLagBytes);
    return answerCheck(reply, isReplica && lagOk, snapshot);
  });
  app.post('/rebuild', (request, reply) => {
    // Mutating requests come only from the peer's own host (dugong-adm rebuild -c sitter.json runs there).
    if (!LOOPBACK.has(request.ip)) return reply.code(403).send({ code: 'DUGONG_ERR_BAD_REQUEST', message: 'POST /rebuild is accepted from this host only' });
    if (options.onRebuildRequest === undefined) return reply.code(404).send({ code: 'DUGONG_ERR_BAD_REQUEST', message: 'rebuild requests are not enabled' });
    options.onRebuildRequest();
    const snapshot = source.snapshot();
    return reply.code(202).send({ accepted: true, role: snapshot.role, restore: snapshot.restore });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'DUGONG_ERR_BAD_REQUEST', message: `no such endpoint: ${request.method} ${request.url}` }),
  );
  return app;
}
