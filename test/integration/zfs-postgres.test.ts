// Real ZFS + PostgreSQL 15: snapshot a running server's dataset, stream it through Node into a second dataset, start PostgreSQL on the copy.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZfs, parseDatasetName, snapshotNameAt, type DatasetName, type Zfs } from '../../src/zfs/index.js';
import { PgCluster, type PgInstance } from '../helpers/postgres.js';
import { createTestPool, type TestPool } from '../helpers/zfs-pool.js';

let pool: TestPool;
let cluster: PgCluster;
let zfs: Zfs;
const instances: PgInstance[] = [];

const ds = (name: string): DatasetName => parseDatasetName(`${pool.name}/${name}`);

beforeAll(async () => {
  pool = await createTestPool();
  cluster = await PgCluster.create('zfs');
  zfs = createZfs();
});

afterAll(async () => {
  // PostgreSQL first (it holds files on the pool), then the pool (which unmounts below the cluster's scratch dir),
  // then the cluster's files.
  for (const instance of instances) await instance.controller.stop('immediate', { timeoutMs: 10_000 }).catch(() => undefined);
  await pool?.destroy();
  await cluster?.cleanup();
});

/** A ZFS dataset mounted where PgCluster puts the data directory of instance `<name>/data`. */
async function datasetForInstance(name: string): Promise<DatasetName> {
  const dataset = ds(name);
  await zfs.createDataset(dataset, { mountpoint: join(cluster.scratch.path, name) });
  return dataset;
}

describe('full send | recv of a running PostgreSQL', () => {
  it('starts PostgreSQL on the received copy with the rows of the snapshot, and only those', async () => {
    const source = await datasetForInstance('src');
    const primary = await cluster.fromTemplate('src/data');
    instances.push(primary);
    await primary.controller.writeRoleSettings({ writable: true, syncStandbyName: null, upstream: null });
    await primary.controller.start({ timeoutMs: 30_000 });
    await primary.client.query('CREATE TABLE marker (id int PRIMARY KEY, note text NOT NULL)');
    await primary.client.query("INSERT INTO marker SELECT i, 'row ' || i FROM generate_series(1, 1000) AS i");
    await primary.client.query('CHECKPOINT');

    // While PostgreSQL runs: a crash-consistent snapshot, as the snapshotter takes them.
    const snapshot = await zfs.snapshot(source, snapshotNameAt(Date.now()));
    await primary.client.query("INSERT INTO marker VALUES (1001, 'after the snapshot')");
    const estimate = await zfs.estimateSendSize({ snapshot });

    // Through Node, as the backup server (send) and the rebuilding peer (receive) will do it over HTTP.
    const copy = ds('copy');
    const sent = zfs.send({ snapshot });
    const wire = new PassThrough();
    let streamedBytes = 0;
    sent.stream.on('data', (chunk: Buffer) => (streamedBytes += chunk.length));
    sent.stream.pipe(wire);
    await zfs.receive(copy, wire);
    await sent.done;
    expect(streamedBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(estimate.bytes).toBeGreaterThan(streamedBytes / 2);
    expect((await zfs.listSnapshots(copy)).map((s) => s.snapshot)).toEqual([snapshot.snapshot]);
    expect(await zfs.isMounted(copy)).toBe(false);

    // PgCluster makes instances only from its template: make one at copy/data, then mount the received copy there.
    await mkdir(join(cluster.scratch.path, 'copy'));
    const restored = await cluster.fromTemplate('copy/data');
    instances.push(restored);
    await rm(join(cluster.scratch.path, 'copy'), { recursive: true });
    await zfs.setProperty(copy, 'mountpoint', join(cluster.scratch.path, 'copy'));
    await zfs.mount(copy);
    // The received postmaster.pid names the source's postmaster, which runs on this host: it must go, or the start
    // refuses (and stopping that "leftover" would stop the source).
    await rm(join(restored.dataDir, 'postmaster.pid'));
    await restored.controller.start({ timeoutMs: 60_000 });

    const { rows } = await restored.client.query<{ count: string; max: number }>('SELECT count(*) AS count, max(id) AS max FROM marker');
    expect(rows[0]).toEqual({ count: '1000', max: 1000 });
    const sample = await restored.client.query<{ note: string }>('SELECT note FROM marker WHERE id = 500');
    expect(sample.rows[0]?.note).toBe('row 500');
    // An independent copy: writable, and the source does not see its writes.
    await restored.client.query("INSERT INTO marker VALUES (2000, 'only on the copy')");
    const onSource = await primary.client.query<{ count: string }>('SELECT count(*) AS count FROM marker');
    expect(onSource.rows[0]?.count).toBe('1001');
  });
});
