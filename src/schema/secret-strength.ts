// The strength rule of the shard's backup secret, shared by the config schemas (inline secrets) and the secret loader.
import { z } from 'zod';

/** 32 random characters of even one class (hex digits) are far beyond guessing over HTTP. */
export const MIN_SECRET_LENGTH = 32;
/** Fewer different characters than this is a pattern ("aaaa…1"), not a random string. */
export const MIN_DISTINCT_CHARACTERS = 8;
const CLASSES: readonly RegExp[] = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

/**
 * Every way `secret` falls short, as phrases; empty when it is strong enough. The rule: at least 32 characters,
 * visible ASCII only (it travels in an HTTP header), characters from at least two of lower-case letters,
 * upper-case letters, digits and symbols, and at least 8 different characters. `openssl rand -hex 24` passes.
 */
export function secretWeaknesses(secret: string): string[] {
  const problems: string[] = [];
  if (secret.length < MIN_SECRET_LENGTH) problems.push(`shorter than ${MIN_SECRET_LENGTH} characters`);
  if (!/^[\x21-\x7e]*$/.test(secret)) problems.push('contains blanks or characters outside visible ASCII');
  if (CLASSES.filter((pattern) => pattern.test(secret)).length < 2) problems.push('uses only one class of characters (of lower-case, upper-case, digits, symbols)');
  if (new Set(secret).size < MIN_DISTINCT_CHARACTERS) problems.push(`has fewer than ${MIN_DISTINCT_CHARACTERS} different characters`);
  return problems;
}

/** An inline secret in a config file: a weak one is reported at its path like any other invalid field. */
export const SecretSchema = z.string().superRefine((secret, ctx) => {
  const problems = secretWeaknesses(secret);
  if (problems.length > 0) ctx.addIssue({ code: 'custom', message: `the backup secret is too weak: ${problems.join(', ')}` });
});
