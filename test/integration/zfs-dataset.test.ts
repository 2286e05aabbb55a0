// Real ZFS: datasets, properties, mounting, snapshots, destroy and rename-to-isolate; bad input never reaches the CLI.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/platform/clock.js';
import { createZfs, parseDatasetName, parseSnapshotName, type DatasetName, type SnapshotRef, type Zfs } from '../../src/zfs/index.js';
import { createTestPool, type TestPool } from '../helpers/zfs-pool.js';
import { caught } from '../helpers/caught.js';

let pool: TestPool;
let zfs: Zfs;
let nowMs = 1_763_782_800_000;
// A hand-driven clock: snapshot and isolation names come from it, so they are predictable here.
const clock: Clock = {
  now: () => nowMs,
  monotonicMs: () => performance.now(),
  setTimer: (delayMs, callback) => {
    const timer = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(timer) };
  },
  sleep: (delayMs) => new Promise((resolve) => setTimeout(resolve, delayMs)),
};

const ds = (name: string): DatasetName => parseDatasetName(`${pool.name}/${name}`);


beforeAll(async () => {
  pool = await createTestPool();
  zfs = createZfs({ clock });
});

afterAll(async () => {
  await pool?.destroy();
});

describe('datasets and properties', () => {
  it('creates a mounted dataset with options, reads and sets properties', async () => {
    const name = ds('pg1');
    const mountpoint = join(pool.mountRoot, 'pg1');
    await zfs.createDataset(name, { mountpoint, properties: { compression: 'on', atime: 'off' } });
    expect(await zfs.exists(name)).toBe(true);
    expect(await zfs.exists(ds('nope'))).toBe(false);
    expect(await zfs.isMounted(name)).toBe(true);
    expect(await zfs.getProperty(name, 'mountpoint')).toBe(mountpoint);
    expect(await zfs.getProperty(name, 'compression')).toBe('on');
    expect(await zfs.getProperty(name, 'atime')).toBe('off');
    expect(Number(await zfs.getProperty(name, 'used'))).toBeGreaterThan(0);
    expect(await zfs.getProperty(name, 'dugong:unset')).toBeUndefined();
    await zfs.setProperty(name, 'dugong:note', 'two words');
    expect(await zfs.getProperty(name, 'dugong:note')).toBe('two words');
    await writeFile(join(mountpoint, 'hello.txt'), 'hello');
  });

  it('unmounts and mounts again, idempotently', async () => {
    const name = ds('pg1');
    const mountpoint = join(pool.mountRoot, 'pg1');
    await zfs.unmount(name);
    await zfs.unmount(name);
    expect(await zfs.isMounted(name)).toBe(false);
    expect(await readdir(mountpoint)).toEqual([]);
    await zfs.mount(name);
    await zfs.mount(name);
    expect(await readFile(join(mountpoint, 'hello.txt'), 'utf8')).toBe('hello');
  });

  it('creates parents only with createParents, and maps a missing dataset to DUGONG_ERR_ZFS_NOT_FOUND', async () => {
    const missingParent = await caught(zfs.createDataset(ds('a/b/c')));
    expect(missingParent.details['stderr']).toMatch(/parent does not exist|no such/i);
    await zfs.createDataset(ds('a/b/c'), { createParents: true });
    expect(await zfs.exists(ds('a/b'))).toBe(true);
    const notFound = await caught(zfs.getProperty(ds('missing'), 'mountpoint'));
    expect(notFound.code).toBe('DUGONG_ERR_ZFS_NOT_FOUND');
    expect(notFound.message).toContain(`zfs get -Hp -o value,source mountpoint ${pool.name}/missing`);
  });

  it('destroys children only when asked for recursion', async () => {
    const refused = await caught(zfs.destroy(ds('a')));
    expect(refused.code).toBe('DUGONG_ERR_COMMAND_FAILED');
    expect(refused.details['stderr']).toMatch(/has children/);
    expect(await zfs.exists(ds('a/b/c'))).toBe(true);
    await zfs.destroy(ds('a'), { recursive: true });
    expect(await zfs.exists(ds('a'))).toBe(false);
  });
});

describe('snapshots', () => {
  it('takes epoch-ms snapshots, lists them in order, ignores hand-made ones, destroys one', async () => {
    const name = ds('pg1');
    // Taken in name order: the list is by creation second, then name (the tie-break is unit-tested on parsed output),
    // and these three may straddle a second boundary.
    await zfs.snapshot(name, parseSnapshotName('1763782700000'));
    const first = await zfs.snapshot(name);
    expect(first).toEqual({ dataset: name, snapshot: '1763782800000' });
    nowMs += 1;
    await zfs.snapshot(name);
    const listed = await zfs.listSnapshots(name);
    expect(listed.map((s) => s.snapshot)).toEqual(['1763782700000', '1763782800000', '1763782800001']);
    expect(listed[0]?.creationEpochSeconds).toBeGreaterThan(1_600_000_000);
    expect(listed[0]?.referencedBytes).toBeGreaterThan(0);
    await zfs.destroy({ dataset: name, snapshot: parseSnapshotName('1763782700000') });
    expect((await zfs.listSnapshots(name)).map((s) => s.snapshot)).toEqual(['1763782800000', '1763782800001']);
    const duplicate = await caught(zfs.snapshot(name, parseSnapshotName('1763782800000')));
    expect(duplicate.details['stderr']).toMatch(/already exists/);
  });

  it('rolls back, refusing to pass later snapshots unless asked', async () => {
    const name = ds('pg1');
    const mountpoint = join(pool.mountRoot, 'pg1');
    await writeFile(join(mountpoint, 'later.txt'), 'later');
    const to: SnapshotRef = { dataset: name, snapshot: parseSnapshotName('1763782800000') };
    const refused = await caught(zfs.rollback(to));
    expect(refused.code).toBe('DUGONG_ERR_COMMAND_FAILED');
    expect(refused.message).toContain(`zfs rollback ${name}@1763782800000 failed (exit 1)`);
    expect(refused.message).toContain('more recent snapshots exist');
    expect(refused.details).toMatchObject({ command: 'zfs', args: ['rollback', `${name}@1763782800000`], exitCode: 1 });
    await zfs.rollback(to, { destroyLaterSnapshots: true });
    expect((await zfs.listSnapshots(name)).map((s) => s.snapshot)).toEqual(['1763782800000']);
    expect((await readdir(mountpoint)).sort()).toEqual(['hello.txt']);
  });
});

describe('rename-to-isolate', () => {
  it('keeps the data, and the isolated dataset is not mounted at (or mountable to) the original mountpoint', async () => {
    const name = ds('diverged');
    const mountpoint = join(pool.mountRoot, 'diverged');
    await zfs.createDataset(name, { mountpoint });
    await writeFile(join(mountpoint, 'precious.txt'), 'diverged data');
    await zfs.snapshot(name, parseSnapshotName('1763782800000'));
    nowMs = 1_763_782_900_000;
    const isolated = await zfs.isolate(name);
    expect(isolated).toEqual({ dataset: `${name}-isolated-1763782900000`, originalDataset: name, originalMountpoint: mountpoint });
    expect(await zfs.exists(name)).toBe(false);
    expect(await zfs.isMounted(isolated.dataset)).toBe(false);
    expect(await zfs.getProperty(isolated.dataset, 'canmount')).toBe('off');
    expect(await zfs.getProperty(isolated.dataset, 'mountpoint')).toBe('none');
    expect(await zfs.getProperty(isolated.dataset, 'dugong:isolated-from')).toBe(name);
    expect(await zfs.getProperty(isolated.dataset, 'dugong:isolated-mountpoint')).toBe(mountpoint);
    expect(await readdir(mountpoint)).toEqual([]);
    // The snapshots came along; the data is intact (read it through a temporary mount elsewhere).
    expect((await zfs.listSnapshots(isolated.dataset)).map((s) => s.snapshot)).toEqual(['1763782800000']);
    const inspect = join(pool.mountRoot, 'inspect');
    await zfs.setProperty(isolated.dataset, 'mountpoint', inspect);
    await zfs.setProperty(isolated.dataset, 'canmount', 'on');
    await zfs.mount(isolated.dataset);
    expect(await readFile(join(inspect, 'precious.txt'), 'utf8')).toBe('diverged data');
    await zfs.unmount(isolated.dataset);
    // The original name is free for a fresh receive.
    await zfs.createDataset(name, { mountpoint });
    expect(await readdir(mountpoint)).toEqual([]);
  });
});

describe('bad input', () => {
  const spyLog = (): string => join(pool.scratch.path, 'spy.log');

  async function spyZfs(): Promise<Zfs> {
    // A stand-in zfs that records every invocation: any line in its log means a command ran.
    const script = join(pool.scratch.path, 'spy-zfs');
    await writeFile(script, `#!/bin/sh\necho "$@" >> '${spyLog()}'\n`, { mode: 0o755 });
    await writeFile(spyLog(), '');
    return createZfs({ zfsBinary: script, clock });
  }

  it('rejects invalid snapshot and dataset names before any command runs', async () => {
    const spy = await spyZfs();
    const good = ds('pg1');
    const snapshot = parseSnapshotName('1763782800000');
    const badDatasets = ['../etc', `${pool.name}/../x`, `${pool.name}/./x`, `/${pool.name}/x`, `${pool.name}//x`, '-r', `${pool.name}/-F`, `${pool.name}/x y`];
    const badSnapshots = ['1', '0000000000000', '1763782800000;rm', '../1763782800000', 'manual', '17637828000000'];
    const attempts: Array<() => Promise<unknown>> = [
      ...badDatasets.flatMap((bad) => {
        const name = bad as DatasetName;
        return [
          () => spy.createDataset(name),
          () => spy.exists(name),
          () => spy.mount(name),
          () => spy.unmount(name),
          () => spy.getProperty(name, 'mountpoint'),
          () => spy.setProperty(name, 'canmount', 'off'),
          () => spy.snapshot(name),
          () => spy.listSnapshots(name),
          () => spy.destroy(name, { recursive: true }),
          () => spy.isolate(name),
          () => spy.rollback({ dataset: name, snapshot }),
          () => spy.receive(name, Readable.from([])),
          () => spy.estimateSendSize({ snapshot: { dataset: name, snapshot } }),
          async () => spy.send({ snapshot: { dataset: name, snapshot } }),
        ];
      }),
      ...badSnapshots.flatMap((bad) => [
        () => spy.snapshot(good, bad as never),
        () => spy.destroy({ dataset: good, snapshot: bad as never }),
        () => spy.rollback({ dataset: good, snapshot: bad as never }, { destroyLaterSnapshots: true }),
        async () => spy.send({ snapshot: { dataset: good, snapshot }, from: bad as never }),
      ]),
      () => spy.createDataset(good, { mountpoint: '/tmp/../etc' }),
      () => spy.createDataset(good, { properties: { 'bad prop': 'x' } }),
      () => spy.setProperty(good, 'mountpoint', 'relative'),
      () => spy.setProperty(good, 'dugong:x', 'a\nb'),
    ];
    for (const attempt of attempts) {
      const error = await caught(Promise.resolve().then(attempt));
      expect(error.code).toBe('DUGONG_ERR_ZFS_NAME_INVALID');
    }
    expect(await readFile(spyLog(), 'utf8')).toBe('');
    // The spy does run for a valid name, so the empty log above means something.
    await spy.setProperty(good, 'canmount', 'on');
    expect(await readFile(spyLog(), 'utf8')).toBe(`set canmount=on ${good}\n`);
  });

  it('names the failing command and its stderr', async () => {
    const error = await caught(zfs.mount(ds('pg1-missing')));
    expect(error.code).toBe('DUGONG_ERR_ZFS_NOT_FOUND');
    const failed = await caught(zfs.createDataset(ds('pg1')));
    expect(failed.code).toBe('DUGONG_ERR_COMMAND_FAILED');
    expect(failed.message).toMatch(new RegExp(`zfs create ${pool.name}/pg1 failed \\(exit 1\\): cannot create '${pool.name}/pg1': dataset already exists`));
    expect(failed.details).toMatchObject({ command: 'zfs', args: ['create', `${pool.name}/pg1`], exitCode: 1 });
    expect(failed.details['stderr']).toContain('dataset already exists');
  });
});
