// The shard's shared backup secret: loading it (inline or from a file) and checking a presented one in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DugongError, errorMessage } from '../errors.js';
import { MIN_SECRET_LENGTH } from '../schema/backupserver-config.js';

export interface SecretSource {
  readonly secret?: string | undefined;
  readonly secretFile?: string | undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * True when `presented` equals `expected`. Both are hashed first so that timingSafeEqual compares equal-length
 * buffers: the time taken reveals neither the secret's content nor its length.
 */
export function secretMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(expected), digest(presented));
}

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or another scheme. */
export function bearerToken(header: string | readonly string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer +([^\s]+) *$/i.exec(header);
  return match?.[1];
}

/** The value an HTTP client sends. */
export function bearerHeader(secret: string): string {
  return `Bearer ${secret}`;
}

/** Validates a secret: no blanks (it travels in a header) and long enough not to be guessed. */
export function checkSecret(secret: string, where: string): string {
  if (secret.length < MIN_SECRET_LENGTH || /\s/.test(secret)) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `${where}: the backup secret must be at least ${MIN_SECRET_LENGTH} characters without blanks`, {
      where,
    });
  }
  return secret;
}

/** The secret from the config, or read from the file it names (a trailing newline from `echo > file` is dropped). */
export async function loadSecret(source: SecretSource): Promise<string> {
  if (source.secret !== undefined) return checkSecret(source.secret, 'secret');
  if (source.secretFile === undefined) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', 'no backup secret: set "secret" or "secretFile"');
  }
  let text: string;
  try {
    text = await readFile(source.secretFile, 'utf8');
  } catch (error) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `cannot read the secret file ${source.secretFile}: ${errorMessage(error)}`, {
      path: source.secretFile,
    });
  }
  return checkSecret(text.trim(), source.secretFile);
}
