// The chaos checker is not blind: against an unsafe setup (asynchronous replication, failover anyway) it reports lost writes and split brain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgCluster, type PgInstance } from '../helpers/postgres.js';
import { lostWrites, splitBrainSamples, verdict } from './checker.js';
import { connect, ensureTable, presentIds, SplitBrainSampler, Writer, type Endpoint } from './workload.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await PgCluster.create('blind');
});
afterAll(async () => {
  await cluster.cleanup();
});

const endpointOf = (instance: PgInstance): Endpoint => ({ name: instance.name, host: '127.0.0.1', port: instance.port });

async function sql(instance: PgInstance, text: string): Promise<void> {
  const client = await connect(endpointOf(instance), 5_000);
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function waitForAcks(writer: Writer, count: number): Promise<void> {
  const target = writer.acks.length + count;
  const deadline = Date.now() + 30_000;
  while (writer.acks.length < target) {
    if (Date.now() > deadline) throw new Error(`the writer got no ${count} more acknowledgements`);
    await sleep(50);
  }
}

describe('chaos checker against an unsafe setup', () => {
  it('reports the writes an asynchronous failover loses, and the moment two servers accept writes', async () => {
    const primary = await cluster.primary('old');
    const standby = await cluster.standby('new', primary);
    await ensureTable(endpointOf(primary));
    const writer = new Writer([endpointOf(primary)]);
    const sampler = new SplitBrainSampler([endpointOf(primary), endpointOf(standby)]);
    writer.start();
    sampler.start();
    try {
      await waitForAcks(writer, 50);
      // While replication works, the checker finds nothing missing on the primary: it does not cry wolf.
      const acked = [...writer.acks];
      expect(lostWrites(acked, await presentIds(endpointOf(primary)))).toEqual([]);
      // The standby stops receiving WAL (asynchronous replication: the primary keeps acknowledging regardless).
      await sql(standby, "ALTER SYSTEM SET primary_conninfo = ''");
      await sql(standby, 'SELECT pg_reload_conf()');
      await sleep(1_000);
      await waitForAcks(writer, 50);
      // An unsafe failover: the standby is promoted while the old primary still runs.
      await sql(standby, 'SELECT pg_promote(true, 30)');
      await sql(standby, 'ALTER SYSTEM SET default_transaction_read_only = off');
      await sql(standby, 'SELECT pg_reload_conf()');
      await sleep(1_500);
      expect(splitBrainSamples(sampler.samples).length, 'samples in which both servers accepted writes').toBeGreaterThan(0);
      await waitForAcks(writer, 20);
      process.kill(primary.controller.running()?.pid ?? -1, 'SIGKILL');
    } finally {
      await writer.stop();
      await sampler.stop();
    }
    const result = verdict(writer.acks, await presentIds(endpointOf(standby)), sampler.samples);
    expect(result.acknowledged).toBeGreaterThan(100);
    expect(result.lost.length, 'acknowledged writes missing on the promoted standby').toBeGreaterThan(50);
    expect(result.splitBrain.length).toBeGreaterThan(0);
  });
});
