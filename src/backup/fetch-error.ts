// A readable one-line reason for a failed fetch: undici says only "fetch failed" and hides the socket error in `cause`.
import { errorMessage } from '../errors.js';

export function describeFetchError(error: unknown): string {
  const message = errorMessage(error);
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause === undefined || cause === null) return message;
  const code = typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string' ? ` (${cause.code})` : '';
  return `${message}: ${errorMessage(cause)}${code}`;
}
