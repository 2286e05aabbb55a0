// The shared backup secret: constant-time comparison, Bearer parsing, the strength rule, loading inline or from a private file.
import { chmod, chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, checkSecret, loadSecret, secretMatches } from '../../src/backup/secret.js';
import { isDugongError } from '../../src/errors.js';
import { secretWeaknesses } from '../../src/schema/secret-strength.js';
import { makeScratchDir, type ScratchDir } from '../helpers/scratch.js';

const SECRET = 'correct-horse-battery-staple-0123456789';

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

describe('the secret strength rule', () => {
  it('accepts long random-looking secrets of two or more classes', () => {
    for (const strong of [SECRET, 'a3f09c1e7b2d4a6f8e0c1b3d5f7a9c2e4b6d8f0a1c3e5b7d', 'Zq-7_xY2pLm9Kv4RtW8sNd3Gh6Jb1Fc0', 'correct-horse-battery-staple-again']) {
      expect(secretWeaknesses(strong)).toEqual([]);
    }
  });

  it('names every weakness: length, blanks and non-ASCII, one class, few different characters', () => {
    expect(secretWeaknesses('Short-secret-12')).toEqual(['shorter than 32 characters']);
    expect(secretWeaknesses('correct horse battery staple again')).toEqual(['contains blanks or characters outside visible ASCII']);
    expect(secretWeaknesses('corréct-horse-battery-staple-again')).toEqual(['contains blanks or characters outside visible ASCII']);
    expect(secretWeaknesses('abcdefghijklmnopqrstuvwxyzabcdefgh')).toEqual(['uses only one class of characters (of lower-case, upper-case, digits, symbols)']);
    expect(secretWeaknesses('12345678901234567890123456789012')).toEqual(['uses only one class of characters (of lower-case, upper-case, digits, symbols)']);
    expect(secretWeaknesses(`${'ab'.repeat(16)}12`)).toEqual(['has fewer than 8 different characters']);
    expect(checkSecret(SECRET, 'x')).toBe(SECRET);
    expect(() => checkSecret('short', 'where')).toThrow(/^DUGONG_ERR_SECRET_WEAK: where: the backup secret is too weak: shorter than 32 characters/);
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

  async function secretFile(name: string, content: string, mode = 0o600): Promise<string> {
    const path = join(scratch.path, name);
    await writeFile(path, content, { mode });
    // writeFile's mode is masked by the umask: set exactly the mode the test means.
    await chmod(path, mode);
    return path;
  }

  it('takes an inline secret or a private file (trailing newline dropped)', async () => {
    expect(await loadSecret({ secret: SECRET })).toBe(SECRET);
    expect(await loadSecret({ secretFile: await secretFile('backup.secret', `${SECRET}\n`) })).toBe(SECRET);
    expect(await loadSecret({ secretFile: await secretFile('owner-only.secret', SECRET, 0o400) })).toBe(SECRET);
  });

  it('refuses a file group or others can read or write, or that is not a regular file, with DUGONG_ERR_SECRET_FILE_UNSAFE', async () => {
    for (const mode of [0o640, 0o604, 0o620, 0o644]) {
      const path = await secretFile(`mode-${mode.toString(8)}.secret`, SECRET, mode);
      const error = await loadSecret({ secretFile: path }).then(() => undefined, (reason: unknown) => reason);
      expect(isDugongError(error, 'DUGONG_ERR_SECRET_FILE_UNSAFE')).toBe(true);
      expect((error as Error).message).toContain(`its mode ${mode.toString(8)} gives group or others access (chmod 600 it)`);
    }
    await expect(loadSecret({ secretFile: scratch.path })).rejects.toThrow(/DUGONG_ERR_SECRET_FILE_UNSAFE: .*not a regular file/);
  });

  it('refuses a file owned by someone other than root or the running user', async () => {
    const path = await secretFile('foreign.secret', SECRET);
    // Only root can give a file away; as another user the check is covered by the running user's own files.
    if (process.getuid?.() !== 0) return;
    await chown(path, 12345, 12345);
    await expect(loadSecret({ secretFile: path })).rejects.toThrow(/DUGONG_ERR_SECRET_FILE_UNSAFE: .*owned by uid 12345, neither root nor the user this daemon runs as/);
  });

  it('refuses weak secrets in files, unreadable files and no secret at all', async () => {
    await expect(loadSecret({ secretFile: await secretFile('short.secret', 'tooshort\n') })).rejects.toThrow(/DUGONG_ERR_SECRET_WEAK: .*short.secret: .*shorter than 32 characters/);
    await expect(loadSecret({ secretFile: join(scratch.path, 'missing') })).rejects.toThrow(/DUGONG_ERR_CONFIG_INVALID: cannot read the secret file/);
    await expect(loadSecret({})).rejects.toThrow(/DUGONG_ERR_CONFIG_INVALID/);
    await expect(loadSecret({ secret: 'sixteen chars ok' })).rejects.toThrow(/DUGONG_ERR_SECRET_WEAK/);
  });
});
