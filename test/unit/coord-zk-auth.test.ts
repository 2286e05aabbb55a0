// The ZooKeeper credential: the auth file's form, strength and privacy checks, the digest id, and the config rule.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digestIdOf, loadZkCredential, parseZkCredential, zkPasswordWeaknesses } from '../../src/coord/index.js';
import { isDugongError } from '../../src/errors.js';
import { unsafeFileReasons } from '../../src/platform/private-file.js';
import { formatIssues } from '../../src/schema/index.js';
import { SitterConfigSchema } from '../../src/schema/sitter-config.js';

const STRONG = 'a3f09c1e7b2d4a6f8e0c1b3d5f7a9c2e';
const dir = mkdtempSync(join(tmpdir(), 'dugong-zk-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return isDugongError(error) ? error.code : 'not a DugongError';
  }
}

describe('ZooKeeper auth file: form and strength', () => {
  it('reads one line user:password, a trailing newline and colons in the password included', () => {
    expect(parseZkCredential(`dugong:${STRONG}\n`, 'f')).toEqual({ user: 'dugong', password: STRONG });
    expect(parseZkCredential(`dugong:${STRONG}:x`, 'f')).toEqual({ user: 'dugong', password: `${STRONG}:x` });
  });

  it('refuses a file that is not one line user:password', () => {
    for (const text of ['', '\n', STRONG, `:${STRONG}`, `dugong:${STRONG}\nsecond:line`, `du gong:${STRONG}`]) {
      expect(codeOf(() => parseZkCredential(text, 'f')), JSON.stringify(text)).toBe('DUGONG_ERR_CONFIG_INVALID');
    }
  });

  it('refuses a password shorter than 24 characters, with blanks, or a pattern', () => {
    expect(codeOf(() => parseZkCredential('dugong:short-password-123456789', 'f'))).toBeUndefined();
    expect(codeOf(() => parseZkCredential('dugong:short-password-12345678', 'f'))).toBe('DUGONG_ERR_ZK_AUTH_WEAK');
    expect(zkPasswordWeaknesses('a'.repeat(40))).toEqual(['has fewer than 8 different characters']);
    expect(zkPasswordWeaknesses(`${STRONG} x`)).toEqual(['contains blanks or characters outside visible ASCII']);
    expect(zkPasswordWeaknesses(STRONG)).toEqual([]);
  });
});

describe('ZooKeeper auth file: privacy', () => {
  const regular = { isFile: () => true };

  it('refuses any group or other bit and a foreign owner; root or our own user is fine', () => {
    expect(unsafeFileReasons({ ...regular, mode: 0o100600, uid: 1000 }, 1000)).toEqual([]);
    expect(unsafeFileReasons({ ...regular, mode: 0o100400, uid: 0 }, 1000)).toEqual([]);
    expect(unsafeFileReasons({ ...regular, mode: 0o100640, uid: 1000 }, 1000)).toEqual([expect.stringMatching(/mode 640/)]);
    expect(unsafeFileReasons({ ...regular, mode: 0o100602, uid: 1000 }, 1000)).toEqual([expect.stringMatching(/mode 602/)]);
    expect(unsafeFileReasons({ ...regular, mode: 0o100600, uid: 1001 }, 1000)).toEqual([expect.stringMatching(/owned by uid 1001/)]);
    expect(unsafeFileReasons({ isFile: () => false, mode: 0o40700, uid: 0 }, 0)).toEqual(['it is not a regular file']);
  });

  it('loads a private file once, refuses a readable one', async () => {
    const path = join(dir, 'zk-auth');
    writeFileSync(path, `dugong:${STRONG}\n`);
    chmodSync(path, 0o600);
    await expect(loadZkCredential(path)).resolves.toEqual({ user: 'dugong', password: STRONG });
    chmodSync(path, 0o644);
    await expect(loadZkCredential(path)).rejects.toMatchObject({ code: 'DUGONG_ERR_ZK_AUTH_FILE_UNSAFE' });
    await expect(loadZkCredential(join(dir, 'missing'))).rejects.toMatchObject({ code: 'DUGONG_ERR_CONFIG_INVALID' });
  });

  it('derives the digest id ZooKeeper stores in the ACL: user:base64(sha1(user:password))', () => {
    // Vector from ZooKeeper's DigestAuthenticationProvider.generateDigest("super:test").
    expect(digestIdOf({ user: 'super', password: 'test' })).toBe('super:D/InIHSb7yEEbrWz8b9l71RjZJU=');
  });
});

describe('zookeeper.authFile in the sitter config', () => {
  const base = { shardPath: '/dugong/a', ip: '127.0.0.1', zoneId: 'z', postgres: { dataDir: '/d/data' }, storage: { kind: 'directory' } };
  const problems = (zookeeper: object): string[] => {
    const result = SitterConfigSchema.safeParse({ ...base, zookeeper: { connectString: '127.0.0.1:2181', ...zookeeper } });
    return result.success ? [] : formatIssues(result.error.issues);
  };

  it('is required unless insecureOpenAcl is set explicitly, and not both', () => {
    expect(problems({})).toEqual([expect.stringMatching(/^zookeeper\.authFile: required/)]);
    expect(problems({ authFile: '/etc/dugong/zk-auth' })).toEqual([]);
    expect(problems({ insecureOpenAcl: true })).toEqual([]);
    expect(problems({ insecureOpenAcl: false })).toEqual([expect.stringMatching(/^zookeeper\.authFile: required/)]);
    expect(problems({ authFile: '/etc/dugong/zk-auth', insecureOpenAcl: true })).toEqual([expect.stringMatching(/^zookeeper\.insecureOpenAcl: give/)]);
    expect(problems({ authFile: 'relative' })).toEqual([expect.stringMatching(/^zookeeper\.authFile: must be an absolute path/)]);
  });
});
