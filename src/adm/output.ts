// Printing a verb's result: text lines for people, or one JSON document for scripts (--json).
import { DugongError, errorMessage } from '../errors.js';
import type { AdmContext, AdmIo } from './types.js';

/** One line of JSON per document (so repeated reports are NDJSON); bigint (WAL distances) written as numbers. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v), indent);
}

export function printLines(io: AdmIo, lines: readonly string[]): void {
  if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
}

/** Prints `json` with --json, else the text lines (built only when needed). */
export function report(ctx: AdmContext, json: unknown, lines: () => readonly string[]): void {
  if (ctx.json) ctx.io.stdout.write(`${toJson(json)}\n`);
  else printLines(ctx.io, lines());
}

/** An error goes to stderr as `dugong-adm: CODE: message`; with --json also as a JSON document on stdout. */
export function printError(io: AdmIo, json: boolean, error: unknown): void {
  const code = error instanceof DugongError ? error.code : null;
  const message = errorMessage(error);
  io.stderr.write(`dugong-adm: ${message}\n`);
  if (json) io.stdout.write(`${toJson({ error: { code, message } })}\n`);
}
