// dugong-sitter refuses a bad config: exit status 2, every problem named by its path, nothing started.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
  zookeeper: { connectString: '127.0.0.1:1' },
  postgres: { dataDir: '/tmp/dugong-config-test/data' },
  storage: { kind: 'directory' },
};

describe('dugong-sitter config validation', () => {
  it('exits 2 and names every invalid field by its path', () => {
    const { status, stderr } = runSitter({ ...VALID, postgres: { dataDir: 'relative/path', port: 'five' }, zookeeper: { connectString: 'nope' } });
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
});
