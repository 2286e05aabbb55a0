// An HTTP error answer of the backup server: status, stable error code, message, and the problems found.
import type { ErrorCode } from '../errors.js';

export interface HttpProblem {
  readonly status: 400 | 401 | 404 | 409 | 413 | 415 | 429 | 500 | 503;
  readonly code: ErrorCode;
  readonly message: string;
  readonly problems?: readonly string[];
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: HttpProblem };

export function accepted<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function refused<T>(problem: HttpProblem): Checked<T> {
  return { ok: false, problem };
}
