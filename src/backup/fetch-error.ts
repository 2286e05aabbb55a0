// A readable one-line reason for a failed fetch: undici says only "fetch failed" and hides the socket error in `cause`.
import { errorMessage } from '../errors.js';

export function describeFetchError(error: unknown): string {
  const message = errorMessage(error);
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause === undefined || cause === null) return message;
  const code = typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string' ? ` (${cause.code})` : '';
  return `${message}: ${errorMessage(cause)}${code}`;
}

/**
 * The connection failed before any answer because the server had closed it: the kept-alive connection was reused
 * just as the server's idle timeout ended it (undici: "other side closed"), or it was reset.
 */
export function isStaleConnectionError(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}
