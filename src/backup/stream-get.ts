// GET of a send's stream over node:http: fetch hands bodies over as web streams, which halved restore throughput.
import { request, type IncomingMessage } from 'node:http';
import type { Clock } from '../platform/clock.js';

export interface StreamGetSpec {
  readonly url: URL;
  readonly headers: Record<string, string>;
  /** Bound on the wait for the response headers; the body is watched by the caller. */
  readonly headersTimeoutMs: number;
  readonly clock: Clock;
  /** Aborting it, before or after the headers, destroys the request and the body. */
  readonly signal: AbortSignal;
}

export type StreamGetOutcome =
  | { readonly kind: 'response'; readonly response: IncomingMessage }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'failed'; readonly error: Error };

/** Resolves once the headers arrive (any status), the wait times out, or the connection fails; never rejects. */
export function streamGet(spec: StreamGetSpec): Promise<StreamGetOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: StreamGetOutcome): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      resolve(outcome);
    };
    const outgoing = request(spec.url, { method: 'GET', headers: spec.headers, signal: spec.signal }, (response) => settle({ kind: 'response', response }));
    const timer = spec.clock.setTimer(spec.headersTimeoutMs, () => {
      settle({ kind: 'timeout' });
      outgoing.destroy(new Error('no response headers in time'));
    });
    outgoing.on('error', (error) => settle({ kind: 'failed', error }));
    outgoing.end();
  });
}

/** The body of a refused request as text (at most 64 KiB: enough for an error body, no more). */
export async function readSmallBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    size += buffer.length;
    if (size > 65_536) break;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, 65_536);
}
