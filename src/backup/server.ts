// The backup server (fastify): serves full or incremental zfs streams of its own dataset's snapshots to peers.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../log.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { capConnections, fastifyLimitOptions } from '../platform/http-limits.js';
import { BACKUP_SERVER_LIMITS, type HttpLimits } from '../schema/http-limits.js';
import { parseDatasetName, type DatasetName, type Zfs } from '../zfs/index.js';
import { SendJobTable, type SendJobLimits } from './send-jobs.js';
import { checkSecret } from './secret.js';
import { installAuth } from './server-auth.js';
import type { BackupServerContext } from './server-context.js';
import { installErrorHandlers } from './server-errors.js';
import { registerSendRoutes } from './server-sends.js';
import { registerSnapshotRoutes } from './server-snapshots.js';
import { registerStreamRoute } from './server-stream.js';

export interface BackupServerOptions {
  /** The only dataset served; no request can name another. */
  readonly dataset: DatasetName;
  readonly zfs: Zfs;
  /** The shard's shared secret (strong enough: src/schema/secret-strength.ts). */
  readonly secret: string;
  readonly logger: Logger;
  /** Fresh unguessable job ids, e.g. crypto.randomUUID (the composition root owns randomness). */
  readonly newJobId: () => string;
  readonly clock?: Clock;
  readonly limits?: Partial<SendJobLimits>;
  /** Timeouts on receiving requests and the connection cap; BACKUP_SERVER_LIMITS when absent. */
  readonly httpLimits?: HttpLimits;
}

export const DEFAULT_SEND_LIMITS: SendJobLimits = { maxConcurrentSends: 2, jobTtlMs: 3_600_000, claimTimeoutMs: 60_000 };
// The only body is `{"snapshot":"…","from":"…"}`; anything much larger is not a send request.
const BODY_LIMIT_BYTES = 1024;

/**
 * HTTP API (docs/backup-api.md). Every route but `GET /ping` needs `Authorization: Bearer <secret>`; without it:
 * 401 DUGONG_ERR_UNAUTHORIZED, and nothing is read or run. Errors are `{code, message, problems?}`.
 * - `GET /ping` → 200 `{ok: true}` (liveness; public).
 * - `GET /snapshots` → `{dataset, snapshots: [{name, createdAt, referencedBytes, usedBytes}]}`, oldest first.
 * - `POST /sends` (application/json `{snapshot?, from?}`; snapshot defaults to the newest, no from = full stream)
 *   → 201 SendJobView (state `queued`); 400 bad names/order, 404 unknown snapshot, 429 + Retry-After when
 *   `maxConcurrentSends` jobs are queued or sending (excess requests are refused, not queued).
 * - `GET /sends/:id/stream` → 200 application/octet-stream, the zfs stream (headers x-dugong-estimated-bytes,
 *   x-dugong-snapshot, x-dugong-from, x-dugong-send-id); served once per job (409 after). A failed send cuts the
 *   response short (never a clean end); a client that disconnects aborts the zfs send.
 * - `GET /sends/:id` → SendJobView `{id, snapshot, from, state, bytesSent, estimatedBytes, estimateMethod,
 *   createdAt, startedAt, finishedAt, error}`; `GET /sends` → `{sends: [...]}`; `DELETE /sends/:id` aborts.
 * Finished jobs are forgotten after `jobTtlMs`; queued ones whose stream is not fetched within `claimTimeoutMs`.
 */
export function buildBackupServer(options: BackupServerOptions): FastifyInstance {
  const ctx: BackupServerContext = {
    dataset: parseDatasetName(options.dataset),
    zfs: options.zfs,
    jobs: new SendJobTable({ ...DEFAULT_SEND_LIMITS, ...options.limits }),
    clock: options.clock ?? systemClock,
    newJobId: options.newJobId,
    log: options.logger,
  };
  const secret = checkSecret(options.secret, 'backup server secret');
  const httpLimits = options.httpLimits ?? BACKUP_SERVER_LIMITS;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Our routes log what matters (sends started, finished, refused); one line per request would drown that.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // On close, drop every connection: sends are aborted anyway, and a client's connection that never carried a
    // request (undici opens spare ones) is not "idle" to Node, so close() would wait for it until headersTimeout.
    forceCloseConnections: true,
    // An automatic HEAD twin of GET /sends/:id/stream would claim the job and run a zfs send for nothing.
    exposeHeadRoutes: false,
    // Bounds receiving a request (slow headers or body: 408 and close) and idle keep-alive time, never sending: a
    // stream response may run for hours. No socket inactivity timeout for the same reason; the client watches stalls.
    ...fastifyLimitOptions(httpLimits),
  });
  capConnections(app.server, httpLimits, options.logger);
  // JSON only: a text/plain body would otherwise reach the route as a string; now it is a 415.
  app.removeContentTypeParser('text/plain');
  installErrorHandlers(app);
  installAuth(app, secret);
  app.get('/ping', () => ({ ok: true }));
  registerSnapshotRoutes(app, ctx);
  registerSendRoutes(app, ctx);
  registerStreamRoute(app, ctx);
  // Stop every running send before the server waits for its connections: a stream could otherwise run for hours.
  app.addHook('preClose', async () => {
    ctx.jobs.abortAll(ctx.clock.now(), 'the backup server is shutting down');
  });
  return app;
}
