// The local sitter's status API as dugong-adm reads it: its role and waiting reason, restore progress, rebuild requests.
import { z } from 'zod';
import { DugongError } from '../errors.js';
import { formatIssues } from '../schema/index.js';
import type { SitterConfig } from '../schema/sitter-config.js';

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** One HTTP exchange with a JSON answer; rejects only when no answer came. */
export type HttpJson = (request: { readonly method: 'GET' | 'POST'; readonly url: string; readonly timeoutMs: number }) => Promise<HttpAnswer>;

export const RestoreViewSchema = z.object({
  state: z.enum(['idle', 'running', 'done', 'failed']),
  kind: z.enum(['seed', 'rebuild']).nullable(),
  method: z.string().nullable(),
  source: z.string().nullable(),
  bytesReceived: z.number().nonnegative(),
  estimatedBytes: z.number().nonnegative(),
  attempt: z.number().int().nonnegative(),
  keptAs: z.string().nullable(),
  /** Sitters before steps were recorded do not send them. */
  steps: z.array(z.object({ name: z.string(), durationMs: z.number().nonnegative() })).optional(),
  error: z.string().nullable(),
});
export type RestoreInfo = z.infer<typeof RestoreViewSchema>;

const SitterViewSchema = z.object({
  id: z.string(),
  role: z.string(),
  waitingReason: z.string().nullable(),
  restore: RestoreViewSchema.nullable(),
});
export type SitterView = z.infer<typeof SitterViewSchema>;

/** The sitter listens on statusApi.host, which may be a wildcard: talk to it over loopback then. */
export function statusBaseUrl(config: SitterConfig): string {
  const host = config.statusApi.host === '0.0.0.0' || config.statusApi.host === '::' ? '127.0.0.1' : config.statusApi.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.statusApi.port}`;
}

export async function readSitterView(http: HttpJson, baseUrl: string): Promise<SitterView> {
  const answer = await http({ method: 'GET', url: `${baseUrl}/state`, timeoutMs: 5_000 });
  const parsed = SitterViewSchema.safeParse(answer.body);
  if (answer.status !== 200 || !parsed.success) {
    const why = parsed.success ? `HTTP ${answer.status}` : formatIssues(parsed.error.issues).join('; ');
    throw new DugongError('DUGONG_ERR_ADM_REFUSED', `the sitter at ${baseUrl} answered GET /state unusably (${why})`);
  }
  return parsed.data;
}

export async function requestRebuild(http: HttpJson, baseUrl: string): Promise<void> {
  const answer = await http({ method: 'POST', url: `${baseUrl}/rebuild`, timeoutMs: 5_000 });
  if (answer.status !== 202) {
    throw new DugongError('DUGONG_ERR_ADM_REFUSED', `the sitter at ${baseUrl} refused the rebuild request (HTTP ${answer.status}: ${JSON.stringify(answer.body)})`);
  }
}
