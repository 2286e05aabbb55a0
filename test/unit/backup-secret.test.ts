// The shared backup secret: constant-time comparison, Bearer parsing, loading inline or from a file.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, checkSecret, loadSecret, secretMatches } from '../../src/backup/secret.js';
import { isDugongError } from '../../src/errors.js';
import { makeScratchDir, type ScratchDir } from '../helpers/scratch.js';

const SECRET = 'correct-horse-battery-staple';

describe('secretMatches', () => {
  it('accepts only the exact secret', () => {
    expect(secretMatches(SECRET, SECRET)).toBe(true);
    expect(secretMatches(SECRET, `${SECRET} `)).toBe(false);
    expect(secretMatches(SECRET, SECRET.slice(0, -1))).toBe(false);
    expect(secretMatches(SECRET, SECRET.toUpperCase())).toBe(false);
    expect(secretMatches(SECRET, '')).toBe(false);
    expect(secretMatches(SECRET, undefined)).toBe(false);
    // Lengths differ wildly: compared as digests, so timingSafeEqual never throws on a length mismatch.
    expect(secretMatches(SECRET, 'x'.repeat(10_000))).toBe(false);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header and nothing else', () => {
    expect(bearerToken(`Bearer ${SECRET}`)).toBe(SECRET);
    expect(bearerToken(`bearer ${SECRET}`)).toBe(SECRET);
    expect(bearerToken(`Basic ${SECRET}`)).toBeUndefined();
    expect(bearerToken(SECRET)).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken(`Bearer ${SECRET} extra`)).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken([`Bearer ${SECRET}`, 'Bearer other'])).toBeUndefined();
  });
});

describe('loading the secret', () => {
  let scratch: ScratchDir;
  beforeAll(async () => {
    scratch = await makeScratchDir('secret');
  });
  afterAll(async () => {
    await scratch.remove();
  });

  it('takes an inline secret or a file (trailing newline dropped)', async () => {
    expect(await loadSecret({ secret: SECRET })).toBe(SECRET);
    const path = join(scratch.path, 'backup.secret');
    await writeFile(path, `${SECRET}\n`);
    expect(await loadSecret({ secretFile: path })).toBe(SECRET);
  });

  it('refuses short or blank-containing secrets and unreadable files with DUGONG_ERR_CONFIG_INVALID', async () => {
    const short = join(scratch.path, 'short.secret');
    await writeFile(short, 'tooshort\n');
    await expect(loadSecret({ secretFile: short })).rejects.toThrow(/at least 16 characters/);
    await expect(loadSecret({ secretFile: join(scratch.path, 'missing') })).rejects.toThrow(/cannot read the secret file/);
    await expect(loadSecret({})).rejects.toThrow(/DUGONG_ERR_CONFIG_INVALID/);
    expect(() => checkSecret('sixteen chars ok', 'x')).toThrow(/without blanks/);
    try {
      checkSecret('short', 'where');
    } catch (error) {
      expect(isDugongError(error, 'DUGONG_ERR_CONFIG_INVALID')).toBe(true);
    }
  });
});
