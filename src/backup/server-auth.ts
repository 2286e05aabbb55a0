// The backup server's authentication: every route but /ping needs `Authorization: Bearer <shard secret>`.
import type { FastifyInstance } from 'fastify';
import { bearerToken, secretMatches } from './secret.js';
import { sendProblem } from './server-errors.js';

/** Routes anyone may call: they reveal nothing and touch nothing. */
const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['/ping']);

/**
 * Checked in onRequest, the first hook: a refused request has its body neither read nor parsed, and no route
 * handler (so no zfs command) runs.
 */
export function installAuth(app: FastifyInstance, secret: string): void {
  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route !== undefined && PUBLIC_ROUTES.has(route) && request.method === 'GET') return;
    if (secretMatches(secret, bearerToken(request.headers.authorization))) return;
    request.log.warn({ url: request.url.slice(0, 200), ip: request.ip }, 'refused a request without the right backup secret');
    reply.header('www-authenticate', 'Bearer realm="dugong-backup"');
    return sendProblem(reply, { status: 401, code: 'DUGONG_ERR_UNAUTHORIZED', message: 'missing or wrong backup secret' });
  });
}
