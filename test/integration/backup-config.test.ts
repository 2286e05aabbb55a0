// dugong-backupserver and dugong-snapshotter refuse a bad config: exit status 2, every problem named, nothing started.
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeScratchDir, type ScratchDir } from '../helpers/scratch.js';
import { ROOT } from './backup-support.js';

let scratch: ScratchDir;
beforeAll(async () => {
  scratch = await makeScratchDir('backup-config');
});
afterAll(async () => {
  await scratch.remove();
});

function runDaemon(name: 'backupserver' | 'snapshotter', config: unknown): { status: number | null; stderr: string } {
  const path = join(scratch.path, `${name}.json`);
  writeFileSync(path, JSON.stringify(config));
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, `src/cmd/${name}.ts`), '-f', path], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stderr: result.stderr };
}

describe('daemon config validation', () => {
  it('dugong-backupserver: exit 2 naming each bad field, a short secret, and both secret sources at once', () => {
    const bad = runDaemon('backupserver', { dataset: '../etc', port: 70_000, secret: 'short', secretFile: 'relative', maxConcurrentSends: 0, colour: 'blue' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/DUGONG_ERR_CONFIG_INVALID/);
    for (const field of ['dataset', 'port', 'secret', 'secretFile', 'maxConcurrentSends', 'colour']) expect(bad.stderr).toContain(field);
    const unreadable = runDaemon('backupserver', { dataset: 'tank/db', secretFile: join(scratch.path, 'missing.secret') });
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toMatch(/cannot read the secret file/);
  });

  it('dugong-backupserver: exit 2 on unknown keys by name, a group-readable or weak secret file, and inverted timeouts', () => {
    const secretFile = join(scratch.path, 'backup.secret');
    writeFileSync(secretFile, 'a3f09c1e7b2d4a6f8e0c1b3d5f7a9c2e4b6d8f0a1c3e5b7d\n');
    chmodSync(secretFile, 0o640);
    const exposed = runDaemon('backupserver', { dataset: 'tank/db', secretFile });
    expect(exposed.status).toBe(2);
    expect(exposed.stderr).toMatch(/DUGONG_ERR_SECRET_FILE_UNSAFE: .*mode 640 gives group or others access/);
    writeFileSync(secretFile, `${'ab'.repeat(20)}\n`);
    chmodSync(secretFile, 0o600);
    const weak = runDaemon('backupserver', { dataset: 'tank/db', secretFile });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/DUGONG_ERR_SECRET_WEAK: /);
    const bad = runDaemon('backupserver', { dataset: 'tank/db', secretFile, maxConection: 3, headersTimeoutMs: 60_000, requestTimeoutMs: 1_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/maxConection: unknown key/);
    expect(bad.stderr).toMatch(/headersTimeoutMs: must not be longer than requestTimeoutMs/);
  });

  it('dugong-snapshotter: exit 2 naming each bad field', () => {
    const bad = runDaemon('snapshotter', { dataset: 'tank/db@1763782800000', pingUrl: 'not a url', periodMs: 10, keep: 0 });
    expect(bad.status).toBe(2);
    for (const field of ['dataset', 'pingUrl', 'periodMs', 'keep']) expect(bad.stderr).toContain(`${field}:`);
  });
});
