// GET /sends/:id/stream: runs the job's zfs send and streams its bytes; a client that goes away aborts the send.
import type { ServerResponse } from 'node:http';
import { Transform, pipeline } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorMessage, isDugongError } from '../errors.js';
import type { SendStream } from '../zfs/index.js';
import { HEADER_ESTIMATED_BYTES, HEADER_FROM, HEADER_SEND_ID, HEADER_SNAPSHOT, type SendJobView } from './api.js';
import { parseJobId } from './send-request.js';
import { STREAM_BUFFER_BYTES } from './transfer-watch.js';
import type { BackupServerContext } from './server-context.js';
import { sendProblem } from './server-errors.js';

/** Counts the bytes handed to the response, for the job's progress. */
function byteCounter(ctx: BackupServerContext, id: string): Transform {
  return new Transform({
    highWaterMark: STREAM_BUFFER_BYTES,
    transform(chunk: Buffer, _encoding, callback) {
      ctx.jobs.addBytes(id, chunk.length);
      callback(null, chunk);
    },
  });
}

/** Records how the job ended once both the response is closed and zfs has exited. */
function settleWhenClosed(ctx: BackupServerContext, job: SendJobView, sent: SendStream, response: ServerResponse): void {
  // Finished = every byte was handed to the kernel; a close before that is a client that went away (or our destroy).
  let finished = false;
  response.once('finish', () => {
    finished = true;
  });
  response.once('close', () => {
    const delivered = finished || response.writableFinished;
    sent.done.then(
      () => {
        const outcome = delivered ? { state: 'done' as const } : { state: 'aborted' as const, error: 'the client went away before the end of the stream' };
        ctx.jobs.finish(ctx.clock.now(), job.id, outcome);
        ctx.log.info({ sendId: job.id, outcome: outcome.state, bytesSent: ctx.jobs.get(ctx.clock.now(), job.id)?.bytesSent }, 'send finished');
      },
      (error: unknown) => {
        const aborted = isDugongError(error) && error.details['aborted'] === true;
        ctx.jobs.finish(ctx.clock.now(), job.id, { state: aborted ? 'aborted' : 'failed', error: errorMessage(error) });
        ctx.log.warn({ sendId: job.id, err: errorMessage(error) }, aborted ? 'send aborted' : 'send failed');
      },
    );
  });
}

function streamJob(ctx: BackupServerContext, job: SendJobView, reply: FastifyReply): FastifyReply {
  let sent: SendStream | undefined;
  const claim = ctx.jobs.claim(ctx.clock.now(), job.id, (reason) => sent?.abort(new Error(reason)));
  if (!claim.ok) {
    return sendProblem(reply, { status: 409, code: 'DUGONG_ERR_BAD_REQUEST', message: `the stream of send job ${job.id} was already fetched (state ${job.state})` });
  }
  const { snapshot, from } = claim.job;
  const ref = { dataset: ctx.dataset, snapshot };
  try {
    sent = ctx.zfs.send(from === null ? { snapshot: ref } : { snapshot: ref, from });
  } catch (error) {
    ctx.jobs.finish(ctx.clock.now(), job.id, { state: 'failed', error: errorMessage(error) });
    throw error;
  }
  ctx.log.info({ sendId: job.id, snapshot: job.snapshot, from: job.from, pid: sent.pid }, 'send started');
  const counter = byteCounter(ctx, job.id);
  // Either side failing destroys the other: a zfs failure cuts the response short (never a clean end), and a
  // response closed early (client gone) destroys the send stream, which kills zfs by PID.
  pipeline(sent.stream, counter, () => undefined);
  settleWhenClosed(ctx, job, sent, reply.raw);
  reply
    .header(HEADER_SEND_ID, job.id)
    .header(HEADER_SNAPSHOT, job.snapshot)
    .header(HEADER_ESTIMATED_BYTES, String(job.estimatedBytes))
    .header('cache-control', 'no-store')
    .type('application/octet-stream');
  if (job.from !== null) reply.header(HEADER_FROM, job.from);
  return reply.send(counter);
}

export function registerStreamRoute(app: FastifyInstance, ctx: BackupServerContext): void {
  app.get<{ Params: { id: string } }>('/sends/:id/stream', (request, reply) => {
    const id = parseJobId(request.params.id);
    if (!id.ok) return sendProblem(reply, id.problem);
    const job = ctx.jobs.get(ctx.clock.now(), id.value);
    if (job === undefined) return sendProblem(reply, { status: 404, code: 'DUGONG_ERR_BACKUP_NOT_FOUND', message: `no send job ${id.value} (unknown or expired)` });
    return streamJob(ctx, job, reply);
  });
}
