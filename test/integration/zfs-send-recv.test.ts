// Real ZFS: full and incremental send|recv streamed through Node, rollback, size estimates, truncated and aborted streams.
import { randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDugongError } from '../../src/errors.js';
import { createZfs, parseDatasetName, parseSnapshotName, type DatasetName, type SnapshotRef, type Zfs } from '../../src/zfs/index.js';
import { isAlive } from '../helpers/processes.js';
import { createTestPool, type TestPool } from '../helpers/zfs-pool.js';
import { caught } from '../helpers/caught.js';

let pool: TestPool;
let zfs: Zfs;
const A = parseSnapshotName('1763782800000');
const B = parseSnapshotName('1763782860000');
const BIG = parseSnapshotName('1763782900000');

const ds = (name: string): DatasetName => parseDatasetName(`${pool.name}/${name}`);
const mnt = (name: string): string => join(pool.mountRoot, name);


async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `zfs` processes of ours that are still running and mention `needle` on their command line. */
function zfsProcessesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('zfs') === true && argv.includes(needle)) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

/** Pipes a send into a receive through a PassThrough, as the backup server and its client will (HTTP in between). */
async function transfer(snapshot: SnapshotRef, into: DatasetName, from?: SnapshotRef['snapshot']): Promise<void> {
  const sent = zfs.send(from === undefined ? { snapshot } : { snapshot, from });
  const wire = new PassThrough();
  sent.stream.pipe(wire);
  await zfs.receive(into, wire);
  await sent.done;
}

beforeAll(async () => {
  pool = await createTestPool();
  zfs = createZfs();
  await zfs.createDataset(ds('big'), { mountpoint: mnt('big') });
  await writeFile(join(mnt('big'), 'random.bin'), randomBytes(8 * 1024 * 1024));
  await zfs.snapshot(ds('big'), BIG);
});

afterAll(async () => {
  await pool?.destroy();
});

describe('rollback and incremental send', () => {
  it('gives the copy B content after a rollback to A and an incremental A -> B', async () => {
    const src = ds('src');
    const copy = ds('copy');
    await zfs.createDataset(src, { mountpoint: mnt('src') });
    await writeFile(join(mnt('src'), 'data.txt'), 'version A');
    await zfs.snapshot(src, A);
    await transfer({ dataset: src, snapshot: A }, copy);
    await zfs.setProperty(copy, 'mountpoint', mnt('copy'));
    expect(await readFile(join(mnt('copy'), 'data.txt'), 'utf8')).toBe('version A');

    // The source is modified after A and rolled back: the junk must not survive.
    await writeFile(join(mnt('src'), 'junk.txt'), 'junk');
    await zfs.rollback({ dataset: src, snapshot: A });
    expect(await readdir(mnt('src'))).toEqual(['data.txt']);
    await writeFile(join(mnt('src'), 'data.txt'), 'version B');
    await writeFile(join(mnt('src'), 'new.txt'), 'new in B');
    await zfs.snapshot(src, B);

    // The copy diverged meanwhile (a deposed primary that kept writing): the incremental is refused until rolled back.
    await writeFile(join(mnt('copy'), 'diverged.txt'), 'diverged');
    // Receive into an unmounted copy, as a rebuild does: zfs-fuse would keep showing a mounted copy's old content.
    await zfs.unmount(copy);
    const refused = await caught(transfer({ dataset: src, snapshot: B }, copy, A));
    expect(refused.message).toContain(`zfs recv -u ${copy} failed (exit 1)`);
    expect(refused.details['stderr']).toMatch(/has been modified/);
    await zfs.rollback({ dataset: copy, snapshot: A });
    await transfer({ dataset: src, snapshot: B }, copy, A);
    await zfs.mount(copy);

    expect((await readdir(mnt('copy'))).sort()).toEqual(['data.txt', 'new.txt']);
    expect(await readFile(join(mnt('copy'), 'data.txt'), 'utf8')).toBe('version B');
    expect((await zfs.listSnapshots(copy)).map((s) => s.snapshot)).toEqual([A, B]);
  });

  it('receives with -F over a modified copy only when asked', async () => {
    const src = ds('src');
    const copy = ds('copy');
    const C = parseSnapshotName('1763782920000');
    await writeFile(join(mnt('src'), 'data.txt'), 'version C');
    await zfs.snapshot(src, C);
    await writeFile(join(mnt('copy'), 'diverged-again.txt'), 'x');
    await zfs.unmount(copy);
    const refused = await caught(zfs.receive(copy, zfs.send({ snapshot: { dataset: src, snapshot: C }, from: B }).stream));
    expect(refused.details['stderr']).toMatch(/has been modified/);
    const sent = zfs.send({ snapshot: { dataset: src, snapshot: C }, from: B });
    await zfs.receive(copy, sent.stream, { force: true });
    await sent.done;
    await zfs.mount(copy);
    expect(await readFile(join(mnt('copy'), 'data.txt'), 'utf8')).toBe('version C');
    expect(await readdir(mnt('copy'))).not.toContain('diverged-again.txt');
  });
});

describe('size estimates', () => {
  it('estimates full and incremental streams', async () => {
    const snapshot = { dataset: ds('big'), snapshot: BIG };
    const estimate = await zfs.estimateSendSize({ snapshot });
    const actual = (await collect(zfs.send({ snapshot }).stream)).length;
    expect(['dry-run', 'referenced']).toContain(estimate.method);
    expect(estimate.bytes).toBeGreaterThan(actual * 0.5);
    expect(estimate.bytes).toBeLessThan(actual * 2);
    const incremental = await zfs.estimateSendSize({ snapshot: { dataset: ds('src'), snapshot: B }, from: A });
    expect(incremental.bytes).toBeGreaterThan(0);
    const missing = await caught(zfs.estimateSendSize({ snapshot: { dataset: ds('src'), snapshot: parseSnapshotName('1999999999999') } }));
    expect(missing.code).toBe('DUGONG_ERR_ZFS_NOT_FOUND');
  });
});

describe('failed, truncated and aborted streams', () => {
  let full: Buffer;

  beforeAll(async () => {
    full = await collect(zfs.send({ snapshot: { dataset: ds('big'), snapshot: BIG } }).stream);
    expect(full.length).toBeGreaterThan(8 * 1024 * 1024);
  });

  it('fails a send of a missing snapshot on the stream itself: it never ends cleanly', async () => {
    const sent = zfs.send({ snapshot: { dataset: ds('big'), snapshot: parseSnapshotName('1999999999999') } });
    const error = await caught(collect(sent.stream));
    expect(error.code).toBe('DUGONG_ERR_ZFS_NOT_FOUND');
    expect(error.message).toContain(`zfs send ${pool.name}/big@1999999999999 failed`);
    await expect(sent.done).rejects.toBe(error);
  });

  it('a truncated stream: recv fails with stderr and leaves no dataset', async () => {
    const target = ds('truncated');
    const error = await caught(zfs.receive(target, Readable.from([full.subarray(0, Math.floor(full.length / 2))])));
    expect(error.code).toBe('DUGONG_ERR_COMMAND_FAILED');
    expect(error.message).toContain(`zfs recv -u ${target} failed (exit 1)`);
    expect(error.details['stderr']).toMatch(/invalid backup stream|failed to read from stream/);
    expect(await zfs.exists(target)).toBe(false);
    // A complete stream into the same name works afterwards.
    await zfs.receive(target, Readable.from([full]));
    expect((await zfs.listSnapshots(target)).map((s) => s.snapshot)).toEqual([BIG]);
    await zfs.destroy(target, { recursive: true });
  });

  it('a truncated incremental leaves the target as it was', async () => {
    const incremental = await collect(zfs.send({ snapshot: { dataset: ds('src'), snapshot: B }, from: A }).stream);
    await transfer({ dataset: ds('src'), snapshot: A }, ds('inc'));
    const error = await caught(zfs.receive(ds('inc'), Readable.from([incremental.subarray(0, incremental.length - 100)])));
    expect(error.details['stderr']).toMatch(/invalid backup stream|failed to read from stream/);
    expect((await zfs.listSnapshots(ds('inc'))).map((s) => s.snapshot)).toEqual([A]);
    await zfs.receive(ds('inc'), Readable.from([incremental]));
    expect((await zfs.listSnapshots(ds('inc'))).map((s) => s.snapshot)).toEqual([A, B]);
  });

  it('a source that errors mid-stream: recv fails with the source error as cause, no dataset remains', async () => {
    const target = ds('source-error');
    const sourceError = new Error('connection reset by peer');
    const source = new Readable({ read() {} });
    source.push(full.subarray(0, 3 * 1024 * 1024));
    setTimeout(() => source.destroy(sourceError), 200);
    const error = await caught(zfs.receive(target, source));
    expect(error.details['stderr']).not.toBe('');
    expect(error.cause).toBe(sourceError);
    expect(await zfs.exists(target)).toBe(false);
  });

  it('an aborted recv: the child is killed by PID, its stdin closed, and no half-received dataset remains', async () => {
    const target = ds('aborted-recv');
    const source = new Readable({ read() {} });
    // Half the stream, then silence: zfs waits for more, as with a stalled HTTP transfer.
    source.push(full.subarray(0, Math.floor(full.length / 2)));
    const controller = new AbortController();
    const receiving = zfs.receive(target, source, { signal: controller.signal });
    const deadline = Date.now() + 10_000;
    while (!(await zfs.exists(target)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(zfsProcessesMentioning(target)).toHaveLength(1);
    controller.abort(new Error('operator cancelled the rebuild'));
    const error = await caught(receiving);
    expect(error.details['aborted']).toBe(true);
    expect(error.message).toContain('operator cancelled the rebuild');
    expect(source.destroyed).toBe(true);
    // Guaranteed on return, without waiting here.
    expect(await zfs.exists(target)).toBe(false);
    expect(zfsProcessesMentioning(target)).toEqual([]);
  });

  it('an aborted send: the child is killed, the stream errors, and the snapshot is not left busy', async () => {
    const snapshot: SnapshotRef = { dataset: ds('big'), snapshot: BIG };
    const sent = zfs.send({ snapshot });
    const firstChunk = await new Promise<Buffer>((resolve) => sent.stream.once('data', resolve));
    expect(firstChunk.length).toBeGreaterThan(0);
    sent.stream.pause();
    const streamError = new Promise<unknown>((resolve) => sent.stream.once('error', resolve));
    sent.abort(new Error('client went away'));
    const error = await caught(sent.done);
    expect(error.details['aborted']).toBe(true);
    const onStream = await streamError;
    expect(isDugongError(onStream) && onStream.details['aborted']).toBe(true);
    expect(isAlive(sent.pid)).toBe(false);
    // The daemon let go of the snapshot: a new send completes and it can be destroyed.
    expect((await collect(zfs.send({ snapshot }).stream)).length).toBe(full.length);
  });

  it('a consumer that destroys the send stream aborts the send', async () => {
    const sent = zfs.send({ snapshot: { dataset: ds('big'), snapshot: BIG } });
    await new Promise((resolve) => sent.stream.once('data', resolve));
    sent.stream.destroy();
    const error = await caught(sent.done);
    expect(error.message).toContain('the consumer closed the stream');
    expect(isAlive(sent.pid)).toBe(false);
    await zfs.destroy({ dataset: ds('big'), snapshot: BIG });
    expect(await zfs.listSnapshots(ds('big'))).toEqual([]);
  });
});
