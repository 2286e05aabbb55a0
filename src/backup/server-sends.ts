// POST /sends (create a send job), GET /sends, GET /sends/:id (progress), DELETE /sends/:id (abort).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SendJobView } from './api.js';
import type { HttpProblem } from './http-problem.js';
import { parseJobId, parseSendRequest, resolveSendRequest } from './send-request.js';
import type { BackupServerContext } from './server-context.js';
import { sendProblem } from './server-errors.js';

// What a refused caller should wait before asking again: sends take seconds to hours, so a short poll is fine.
const RETRY_AFTER_SECONDS = 5;

function busy(reply: FastifyReply, ctx: BackupServerContext): FastifyReply {
  const active = ctx.jobs.activeCount(ctx.clock.now());
  reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return sendProblem(reply, { status: 429, code: 'DUGONG_ERR_BACKUP_BUSY', message: `${active} sends are already queued or running; retry later` });
}

function unknownJob(id: string): HttpProblem {
  return { status: 404, code: 'DUGONG_ERR_BACKUP_NOT_FOUND', message: `no send job ${id} (unknown or expired)` };
}

async function createSend(ctx: BackupServerContext, body: unknown, reply: FastifyReply): Promise<FastifyReply> {
  const request = parseSendRequest(body);
  if (!request.ok) return sendProblem(reply, request.problem);
  // Refuse before running any zfs command: an overloaded server should not do even the cheap ones.
  if (!ctx.jobs.hasCapacity(ctx.clock.now())) return busy(reply, ctx);
  if (request.value.fresh) {
    const taken = await ctx.zfs.snapshot(ctx.dataset);
    ctx.log.info({ snapshot: taken.snapshot }, 'took a fresh snapshot to send');
  }
  const snapshots = await ctx.zfs.listSnapshots(ctx.dataset);
  const resolved = resolveSendRequest(request.value, snapshots.map((info) => info.snapshot));
  if (!resolved.ok) return sendProblem(reply, resolved.problem);
  const { snapshot, from } = resolved.value;
  const ref = { dataset: ctx.dataset, snapshot };
  const estimate = await ctx.zfs.estimateSendSize(from === null ? { snapshot: ref } : { snapshot: ref, from });
  const job = ctx.jobs.create(ctx.clock.now(), { id: ctx.newJobId(), snapshot, from, estimate });
  if (job === undefined) return busy(reply, ctx);
  ctx.log.info({ sendId: job.id, snapshot, from, estimatedBytes: estimate.bytes }, 'send job created');
  return reply.code(201).header('location', `/sends/${job.id}`).send(job);
}

export function registerSendRoutes(app: FastifyInstance, ctx: BackupServerContext): void {
  app.post('/sends', (request, reply) => createSend(ctx, request.body, reply));

  app.get('/sends', () => ({ sends: ctx.jobs.list(ctx.clock.now()) }));

  app.get<{ Params: { id: string } }>('/sends/:id', (request, reply): FastifyReply | SendJobView => {
    const id = parseJobId(request.params.id);
    if (!id.ok) return sendProblem(reply, id.problem);
    return ctx.jobs.get(ctx.clock.now(), id.value) ?? sendProblem(reply, unknownJob(id.value));
  });

  app.delete<{ Params: { id: string } }>('/sends/:id', (request, reply): FastifyReply | SendJobView => {
    const id = parseJobId(request.params.id);
    if (!id.ok) return sendProblem(reply, id.problem);
    // Idempotent: aborting a finished job changes nothing and answers its final state.
    if (ctx.jobs.abort(ctx.clock.now(), id.value, 'aborted by the client (DELETE)')) ctx.log.info({ sendId: id.value }, 'send job aborted by the client');
    return ctx.jobs.get(ctx.clock.now(), id.value) ?? sendProblem(reply, unknownJob(id.value));
  });
}
