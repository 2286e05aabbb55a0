// Every error answer of the backup server has the same shape: {code, message, problems?} with a stable code.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { isDugongError, type ErrorCode } from '../errors.js';
import type { ErrorBody } from './api.js';
import type { HttpProblem } from './http-problem.js';

export function sendProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  const body: ErrorBody = { code: problem.code, message: problem.message, ...(problem.problems === undefined ? {} : { problems: [...problem.problems] }) };
  return reply.code(problem.status).send(body);
}

function statusOfDugongCode(code: ErrorCode): 400 | 404 | 500 {
  // A snapshot can vanish between the listing and the send (pruned by the snapshotter): that is a 404, not a crash.
  if (code === 'DUGONG_ERR_ZFS_NOT_FOUND') return 404;
  if (code === 'DUGONG_ERR_ZFS_NAME_INVALID' || code === 'DUGONG_ERR_BAD_REQUEST') return 400;
  return 500;
}

/** Maps what a route threw, or what fastify refused itself (413 body too large, 415 content type, 400 bad JSON). */
export function problemOf(error: unknown): HttpProblem {
  if (isDugongError(error)) {
    const status = statusOfDugongCode(error.code);
    return { status, code: status === 404 ? 'DUGONG_ERR_BACKUP_NOT_FOUND' : error.code, message: error.message };
  }
  const statusCode = (error as Partial<FastifyError>).statusCode;
  const message = error instanceof Error ? error.message : String(error);
  if (statusCode === 413 || statusCode === 415 || statusCode === 400) return { status: statusCode, code: 'DUGONG_ERR_BAD_REQUEST', message };
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return { status: 400, code: 'DUGONG_ERR_BAD_REQUEST', message };
  return { status: 500, code: 'DUGONG_ERR_INTERNAL', message };
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const problem = problemOf(error);
    if (problem.status >= 500) request.log.error({ err: error, url: request.url }, 'backup server request failed');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { status: 404, code: 'DUGONG_ERR_BAD_REQUEST', message: `no such endpoint: ${request.method} ${request.url.slice(0, 200)}` }),
  );
}
