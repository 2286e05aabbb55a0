// dugong-sitter refuses a bad config: exit status 2, every problem named by its path, nothing started.
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeScratchDir, type ScratchDir } from '../helpers/scratch.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let scratch: ScratchDir;
beforeAll(async () => {
  scratch = await makeScratchDir('config');
});
afterAll(async () => {
  await scratch.remove();
});

function runSitter(config: unknown): { status: number | null; stderr: string } {
  const path = join(scratch.path, 'sitter.json');
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cmd/sitter.ts'), '-f', path], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stderr: result.stderr };
}

const VALID = {
  shardPath: '/dugong/x',
  ip: '127.0.0.1',
  zoneId: 'z1',
  // Open ACLs: these runs stop before connecting; the auth-file checks have their own test below.
  zookeeper: { connectString: '127.0.0.1:1', insecureOpenAcl: true },
  postgres: { dataDir: '/tmp/dugong-config-test/data' },
  storage: { kind: 'directory' },
};

describe('dugong-sitter config validation', () => {
  it('exits 2 and names every invalid field by its path', () => {
    const { status, stderr } = runSitter({ ...VALID, postgres: { dataDir: 'relative/path', port: 'five' }, zookeeper: { connectString: 'nope', insecureOpenAcl: true } });
    expect(status).toBe(2);
    expect(stderr).toMatch(/DUGONG_ERR_CONFIG_INVALID/);
    expect(stderr).toMatch(/postgres\.dataDir: must be an absolute path/);
    expect(stderr).toMatch(/postgres\.port: /);
    expect(stderr).toMatch(/zookeeper\.connectString: /);
  });

  it('exits 2 on unknown keys, missing fields and non-JSON', () => {
    const missingAndUnknown = runSitter({ ...VALID, storage: undefined, colour: 'blue' });
    expect(missingAndUnknown.status).toBe(2);
    expect(missingAndUnknown.stderr).toMatch(/storage: /);
    expect(missingAndUnknown.stderr).toMatch(/colour/);
    expect(runSitter('{ not json').status).toBe(2);
    expect(runSitter('{ not json').stderr).toMatch(/not valid JSON/);
  });

  it('exits 2 naming the full path of an unknown nested key, a host name as ip and a bad CIDR', () => {
    const { status, stderr } = runSitter({
      ...VALID, ip: 'db-1.example.com', postgres: { dataDir: '/tmp/dugong-config-test/data', authmethod: 'trust', trustedNetworks: ['10.0.0.0/33'] },
    });
    expect(status).toBe(2);
    expect(stderr).toMatch(/DUGONG_ERR_CONFIG_INVALID/);
    expect(stderr).toMatch(/postgres\.authmethod: unknown key/);
    expect(stderr).toMatch(/ip: must be an IPv4 or IPv6 address/);
    expect(stderr).toMatch(/postgres\.trustedNetworks\.0: must be an address or CIDR/);
  });

  it('exits 2 on a backup secret file others can read, or a weak one, before starting anything', () => {
    const secretFile = join(scratch.path, 'backup.secret');
    writeFileSync(secretFile, 'a3f09c1e7b2d4a6f8e0c1b3d5f7a9c2e4b6d8f0a1c3e5b7d\n');
    chmodSync(secretFile, 0o644);
    const exposed = runSitter({ ...VALID, backupServer: { secretFile } });
    expect(exposed.status).toBe(2);
    expect(exposed.stderr).toMatch(/DUGONG_ERR_SECRET_FILE_UNSAFE: refusing the secret file .*mode 644/);
    writeFileSync(secretFile, 'tooshort\n');
    chmodSync(secretFile, 0o600);
    const weak = runSitter({ ...VALID, backupServer: { secretFile } });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/DUGONG_ERR_SECRET_WEAK: .*shorter than 32 characters/);
  });

  it('exits 2 without a ZooKeeper credential, or on an auth file others can read, or a weak password', () => {
    const missing = runSitter({ ...VALID, zookeeper: { connectString: '127.0.0.1:1' } });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/zookeeper\.authFile: required/);
    const authFile = join(scratch.path, 'zk-auth');
    writeFileSync(authFile, 'dugong:a3f09c1e7b2d4a6f8e0c1b3d5f7a9c2e4b6d8f0a\n');
    chmodSync(authFile, 0o640);
    const exposed = runSitter({ ...VALID, zookeeper: { connectString: '127.0.0.1:1', authFile } });
    expect(exposed.status).toBe(2);
    expect(exposed.stderr).toMatch(/DUGONG_ERR_ZK_AUTH_FILE_UNSAFE: refusing the ZooKeeper auth file .*mode 640/);
    writeFileSync(authFile, 'dugong:short-password\n');
    chmodSync(authFile, 0o600);
    const weak = runSitter({ ...VALID, zookeeper: { connectString: '127.0.0.1:1', authFile } });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/DUGONG_ERR_ZK_AUTH_WEAK: .*shorter than 24 characters/);
  });
});
