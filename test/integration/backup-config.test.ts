// dugong-backupserver and dugong-snapshotter refuse a bad config: exit status 2, every problem named, nothing started.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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

  it('dugong-snapshotter: exit 2 naming each bad field', () => {
    const bad = runDaemon('snapshotter', { dataset: 'tank/db@1763782800000', pingUrl: 'not a url', periodMs: 10, keep: 0 });
    expect(bad.status).toBe(2);
    for (const field of ['dataset', 'pingUrl', 'periodMs', 'keep']) expect(bad.stderr).toContain(`${field}:`);
  });
});
