// The storage health check answers within its deadline on a hung mount, keeps one check in flight, and recovers.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Observation } from '../../src/fsm/index.js';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/platform/clock.js';
import { StorageHealthEffects } from '../../src/runtime/storage-health.js';
import { makeScratchDir, type ScratchDir } from '../helpers/scratch.js';
import { StallableMount } from '../helpers/stallable-mount.js';

let mount: StallableMount | undefined;
let scratch: ScratchDir | undefined;
afterEach(async () => {
  await mount?.remove();
  await scratch?.remove();
  mount = undefined;
  scratch = undefined;
});

function checkOnce(effects: StorageHealthEffects, opId: number): Promise<{ result: Observation; ms: number }> {
  const startedMs = Date.now();
  return new Promise((resolve) => effects.run({ kind: 'checkStorage', opId }, (result) => resolve({ result, ms: Date.now() - startedMs })));
}

describe('storage health check', () => {
  it('answers "not answering" by its deadline on a paused mount, spawns no second check, and answers again on resume', async () => {
    scratch = await makeScratchDir('storage-health');
    const dir = join(scratch.path, 'mnt');
    mkdirSync(join(dir, 'data'), { recursive: true });
    mount = await StallableMount.over(dir);
    const effects = new StorageHealthEffects({ directory: join(dir, 'data'), runAs: undefined, deadlineMs: 1_000, clock: systemClock, log: silentLogger() });
    expect((await checkOnce(effects, 1)).result).toEqual({ kind: 'storageChecked', opId: 1, result: { kind: 'answered' } });
    // initdb and pg_basebackup refuse a non-empty directory: before PG_VERSION the check only reads.
    expect(readdirSync(join(dir, 'data')), 'nothing written into a directory that holds no data yet').toEqual([]);
    writeFileSync(join(dir, 'data', 'PG_VERSION'), '15\n');
    expect((await checkOnce(effects, 1)).result).toEqual({ kind: 'storageChecked', opId: 1, result: { kind: 'answered' } });
    expect(readdirSync(join(dir, 'data')).sort(), 'the check wrote, fsynced and read its file').toEqual(['PG_VERSION', 'dugong_storage_check']);
    mount.pause();
    const stalled = await checkOnce(effects, 2);
    expect(stalled.result).toMatchObject({ kind: 'storageChecked', opId: 2, result: { kind: 'notAnswering' } });
    expect(stalled.ms).toBeLessThan(1_900);
    // The first check's child is still blocked (it was killed, but a FUSE wait ends only when the call does).
    const next = await checkOnce(effects, 3);
    expect(JSON.stringify(next.result)).toMatch(/notAnswering/);
    mount.resume();
    let answered = false;
    for (let opId = 4; opId < 40 && !answered; opId += 1) {
      const again = await checkOnce(effects, opId);
      answered = JSON.stringify(again.result).includes('"answered"');
      if (!answered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(answered, 'the check answers again once the mount does').toBe(true);
  });
});
