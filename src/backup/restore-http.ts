// The backup server's HTTP API from the client side: authenticated calls, answers checked, failures as restore errors.
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { isDugongError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { formatIssues } from '../schema/index.js';
import { ErrorBodySchema, HEADER_ESTIMATED_BYTES, SendJobViewSchema, SnapshotListBodySchema, type SendJobView, type SendRequestBody, type SnapshotListBody } from './api.js';
import { describeFetchError, isStaleConnectionError } from './fetch-error.js';
import { restoreError } from './restore-errors.js';
import { bearerHeader } from './secret.js';
import { readSmallBody, streamGet } from './stream-get.js';

export interface BackupEndpoint {
  /** `http://host:port` (a peer's backupUrl). */
  readonly backupUrl: string;
  readonly secret: string;
  readonly clock: Clock;
  /** Bound on each call until its response headers arrive (a stream's body is watched by the caller). */
  readonly requestTimeoutMs: number;
}

export interface OpenedStream {
  readonly body: Readable;
  readonly estimatedBytes: number | null;
}

interface CallSpec {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: SendRequestBody;
  /** Aborts the call from outside. */
  readonly signal?: AbortSignal;
}

/** The server's error body, if it sent one: its code and message make the failure readable. */
function refusal(endpoint: BackupEndpoint, spec: CallSpec, status: number, text: string): Error {
  let parsed: z.infer<typeof ErrorBodySchema> | undefined;
  try {
    const result = ErrorBodySchema.safeParse(JSON.parse(text));
    parsed = result.success ? result.data : undefined;
  } catch {
    parsed = undefined;
  }
  const what = parsed === undefined ? text.slice(0, 200) : parsed.message;
  return restoreError('http', `${spec.method} ${endpoint.backupUrl}${spec.path} answered ${status}: ${what}`, {
    backupUrl: endpoint.backupUrl,
    status,
    ...(parsed === undefined ? {} : { serverCode: parsed.code }),
  });
}

function noAnswer(endpoint: BackupEndpoint): string {
  return `no answer within ${endpoint.requestTimeoutMs} ms`;
}

function aborted(endpoint: BackupEndpoint, spec: CallSpec, cause?: unknown): Error {
  return restoreError('aborted', `${spec.method} ${spec.path} aborted`, { backupUrl: endpoint.backupUrl }, cause);
}

/** No answer: nothing listens, the connection broke, or the headers did not come in time (retryable). */
function unreachable(endpoint: BackupEndpoint, spec: CallSpec, why: string, cause?: unknown): Error {
  return restoreError('unreachable', `${spec.method} ${endpoint.backupUrl}${spec.path} failed: ${why}`, { backupUrl: endpoint.backupUrl }, cause);
}

/** A request that cannot have had an effect yet is safe to send again on a new connection; a POST creates a job. */
async function fetchOnLiveConnection(url: URL, init: RequestInit, method: CallSpec['method']): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (method === 'POST' || init.signal?.aborted === true || !isStaleConnectionError(error)) throw error;
    return fetch(url, init);
  }
}

/** Sends one request; resolves with a 2xx response (body unread), else rejects with a restore error. */
async function call(endpoint: BackupEndpoint, spec: CallSpec): Promise<Response> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(spec.signal?.reason);
  if (spec.signal?.aborted === true) onAbort();
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = endpoint.clock.setTimer(endpoint.requestTimeoutMs, () => controller.abort(new Error('request timeout')));
  const headers: Record<string, string> = { authorization: bearerHeader(endpoint.secret) };
  if (spec.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const init: RequestInit = { method: spec.method, headers, signal: controller.signal };
    if (spec.body !== undefined) init.body = JSON.stringify(spec.body);
    const response = await fetchOnLiveConnection(new URL(spec.path, endpoint.backupUrl), init, spec.method);
    if (!response.ok) throw refusal(endpoint, spec, response.status, await response.text().catch(() => ''));
    return response;
  } catch (error) {
    if (spec.signal?.aborted === true) throw aborted(endpoint, spec, error);
    if (isDugongError(error)) throw error;
    throw unreachable(endpoint, spec, controller.signal.aborted ? noAnswer(endpoint) : describeFetchError(error), error);
  } finally {
    timer.cancel();
    spec.signal?.removeEventListener('abort', onAbort);
  }
}

async function json<S extends z.ZodType>(endpoint: BackupEndpoint, spec: CallSpec, schema: S): Promise<z.output<S>> {
  const response = await call(endpoint, spec);
  const raw: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw restoreError('protocol', `${spec.method} ${spec.path}: unexpected answer: ${formatIssues(parsed.error.issues).join('; ')}`, { backupUrl: endpoint.backupUrl });
}

export function listRemoteSnapshots(endpoint: BackupEndpoint, signal?: AbortSignal): Promise<SnapshotListBody> {
  return json(endpoint, { method: 'GET', path: '/snapshots', ...(signal === undefined ? {} : { signal }) }, SnapshotListBodySchema);
}

export function createRemoteSend(endpoint: BackupEndpoint, request: SendRequestBody, signal?: AbortSignal): Promise<SendJobView> {
  return json(endpoint, { method: 'POST', path: '/sends', body: request, ...(signal === undefined ? {} : { signal }) }, SendJobViewSchema);
}

export function getRemoteSend(endpoint: BackupEndpoint, id: string, signal?: AbortSignal): Promise<SendJobView> {
  return json(endpoint, { method: 'GET', path: `/sends/${encodeURIComponent(id)}`, ...(signal === undefined ? {} : { signal }) }, SendJobViewSchema);
}

function estimateOf(header: string | string[] | undefined): number | null {
  const estimated = typeof header === 'string' && /^[0-9]+$/.test(header) ? Number(header) : NaN;
  return Number.isSafeInteger(estimated) && estimated >= 0 ? estimated : null;
}

/** Starts the job's stream; aborting `signal` later also breaks off the body (and so the server's zfs send). */
export async function openRemoteStream(endpoint: BackupEndpoint, id: string, signal: AbortSignal): Promise<OpenedStream> {
  const spec: CallSpec = { method: 'GET', path: `/sends/${encodeURIComponent(id)}/stream`, signal };
  const outcome = await streamGet({
    url: new URL(spec.path, endpoint.backupUrl), headers: { authorization: bearerHeader(endpoint.secret) },
    headersTimeoutMs: endpoint.requestTimeoutMs, clock: endpoint.clock, signal,
  });
  if (signal.aborted) throw aborted(endpoint, spec);
  switch (outcome.kind) {
    case 'timeout':
      throw unreachable(endpoint, spec, noAnswer(endpoint));
    case 'failed':
      throw unreachable(endpoint, spec, describeFetchError(outcome.error), outcome.error);
    case 'response': {
      const { response } = outcome;
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) throw refusal(endpoint, spec, status, await readSmallBody(response).catch(() => ''));
      return { body: response, estimatedBytes: estimateOf(response.headers[HEADER_ESTIMATED_BYTES]) };
    }
  }
}
