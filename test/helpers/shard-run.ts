// One integration scenario's world: a started shard, a writer recording acknowledged writes, and the split-brain sampler.
import { expect } from 'vitest';
import { TestShard, type ShardOptions } from './shard.js';
import { ensureTable, SplitBrainSampler, Writer, type PgEndpoint } from './workload.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ShardRun {
  private constructor(
    readonly shard: TestShard,
    readonly endpoints: readonly PgEndpoint[],
    readonly writer: Writer,
    readonly sampler: SplitBrainSampler,
  ) {}

  /** Starts `started` peers (all by default), waits for them to take roles in order, then starts writing and sampling. */
  static async begin(options: ShardOptions & { started?: number; beforeStart?: (shard: TestShard) => Promise<void> } = {}): Promise<ShardRun> {
    const shard = await TestShard.create(options);
    try {
      await options.beforeStart?.(shard);
      const started = options.started ?? shard.peers.length;
      for (const peer of shard.peers.slice(0, started)) await shard.startRegistered(peer);
      const roles = ['primary', 'sync', 'async', 'async', 'async'].slice(0, started);
      await shard.waitForRoles(Object.fromEntries(roles.map((role, i) => [`peer${i + 1}`, role])), 120_000);
      const endpoints = shard.peers.map((p) => ({ name: p.name, port: p.pgPort }));
      const [primary] = endpoints;
      if (primary === undefined) throw new Error('a shard needs a peer');
      await ensureTable(primary);
      const run = new ShardRun(shard, endpoints, new Writer(endpoints), new SplitBrainSampler(endpoints));
      run.writer.start();
      run.sampler.start();
      await sleep(1_000);
      return run;
    } catch (error) {
      await shard.stop();
      throw error;
    }
  }

  endpoint(name: string): PgEndpoint {
    const found = this.endpoints.find((e) => e.name === name);
    if (found === undefined) throw new Error(`no endpoint ${name}`);
    return found;
  }

  ackCount(): number {
    return this.writer.acks.length;
  }

  /** Waits until the writer got `more` acknowledgements beyond what it had. */
  async waitForMoreAcks(more = 20, timeoutMs = 30_000): Promise<void> {
    const target = this.ackCount() + more;
    const deadline = Date.now() + timeoutMs;
    while (this.ackCount() < target && Date.now() < deadline) await sleep(50);
    expect(this.ackCount(), `writes did not resume within ${timeoutMs} ms`).toBeGreaterThanOrEqual(target);
  }

  /** Host death: the peer's sitter and its PostgreSQL killed together (SIGKILL). */
  killHost(name: string): void {
    const peer = this.shard.peer(name);
    const pgPid = this.shard.postgresPid(peer);
    process.kill(this.shard.sitterPid(peer), 'SIGKILL');
    if (pgPid !== undefined) process.kill(pgPid, 'SIGKILL');
  }

  /** A standby replays asynchronously: gives it up to 20 s to show every acknowledged row. */
  async expectEveryAckOn(name: string): Promise<void> {
    let missing = await this.writer.missingOn(this.endpoint(name));
    for (let i = 0; i < 100 && missing.length > 0; i += 1) {
      await sleep(200);
      missing = await this.writer.missingOn(this.endpoint(name));
    }
    expect(missing, `acknowledged writes missing on ${name}`).toEqual([]);
  }

  /** Stops the workload and checks the two safety properties against the final primary. */
  async verifySafety(finalPrimary: string): Promise<void> {
    await this.writer.stop();
    await this.sampler.stop();
    expect(this.writer.acks.length).toBeGreaterThan(20);
    expect(await this.writer.missingOn(this.endpoint(finalPrimary)), 'acknowledged writes missing on the final primary').toEqual([]);
    expect(this.sampler.samples.length).toBeGreaterThan(10);
    expect(this.sampler.splitBrainSamples(), 'samples in which two peers accepted writes').toEqual([]);
    expect(this.writer.overlappingAckers(), 'peers acknowledging writes at the same time').toEqual([]);
  }

  async end(): Promise<void> {
    await this.writer.stop();
    await this.sampler.stop();
    await this.shard.stop();
  }
}
