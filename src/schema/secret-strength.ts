// The strength rule of the shard's backup secret, shared by the config schemas (inline secrets) and the secret loader.
import { z } from 'zod';

/** 32 random characters of even one class (hex digits) are far beyond guessing over HTTP. */
export const MIN_SECRET_LENGTH = 32;
/** Fewer different characters than this is a pattern ("aaaa…1"), not a random string. */
export const MIN_DISTINCT_CHARACTERS = 8;
const CLASSES: readonly RegExp[] = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

export interface StrengthRule {
  readonly minLength: number;
  /** Of lower-case letters, upper-case letters, digits and symbols, how many must appear. */
  readonly minClasses: number;
}

/** Every way a shared credential falls short of `rule`, as phrases; empty when it is strong enough. */
export function credentialWeaknesses(value: string, rule: StrengthRule): string[] {
  const problems: string[] = [];
  if (value.length < rule.minLength) problems.push(`shorter than ${rule.minLength} characters`);
  // Visible ASCII only: these travel in HTTP headers and ZooKeeper auth packets, and live in one-line files.
  if (!/^[\x21-\x7e]*$/.test(value)) problems.push('contains blanks or characters outside visible ASCII');
  if (CLASSES.filter((pattern) => pattern.test(value)).length < rule.minClasses) {
    problems.push('uses only one class of characters (of lower-case, upper-case, digits, symbols)');
  }
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) problems.push(`has fewer than ${MIN_DISTINCT_CHARACTERS} different characters`);
  return problems;
}

/**
 * The backup secret's rule: at least 32 characters, visible ASCII only, characters from at least two of lower-case
 * letters, upper-case letters, digits and symbols, and at least 8 different characters. `openssl rand -hex 24` passes.
 */
export function secretWeaknesses(secret: string): string[] {
  return credentialWeaknesses(secret, { minLength: MIN_SECRET_LENGTH, minClasses: 2 });
}

/** An inline secret in a config file: a weak one is reported at its path like any other invalid field. */
export const SecretSchema = z.string().superRefine((secret, ctx) => {
  const problems = secretWeaknesses(secret);
  if (problems.length > 0) ctx.addIssue({ code: 'custom', message: `the backup secret is too weak: ${problems.join(', ')}` });
});
