// The shard's shared backup secret: loading it (inline, or from a file private to root or us), its strength, constant-time checks.
import { createHash, timingSafeEqual } from 'node:crypto';
import { DugongError } from '../errors.js';
import { readPrivateFile } from '../platform/private-file.js';
import { secretWeaknesses } from '../schema/secret-strength.js';

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

/** Validates a secret (the rule: src/schema/secret-strength.ts); a weak one is refused with DUGONG_ERR_SECRET_WEAK. */
export function checkSecret(secret: string, where: string): string {
  const problems = secretWeaknesses(secret);
  if (problems.length > 0) {
    throw new DugongError('DUGONG_ERR_SECRET_WEAK', `${where}: the backup secret is too weak: ${problems.join(', ')}`, { where, problems });
  }
  return secret;
}

/** The secret from the config, or read from the file it names (a trailing newline from `echo > file` is dropped). */
export async function loadSecret(source: SecretSource): Promise<string> {
  if (source.secret !== undefined) return checkSecret(source.secret, 'secret');
  if (source.secretFile === undefined) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', 'no backup secret: set "secret" or "secretFile"');
  }
  return checkSecret((await readPrivateFile(source.secretFile, 'secret file', 'DUGONG_ERR_SECRET_FILE_UNSAFE')).trim(), source.secretFile);
}
