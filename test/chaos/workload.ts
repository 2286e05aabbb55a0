// The chaos workload: the tests' writer (every acknowledged write recorded) and a split-brain sampler for peers on their own addresses.
import type pg from 'pg';
import { BackgroundLoop, connect, queryWithin, type Ack as TestAck, type Sample } from '../helpers/workload.js';

// The writer, the connection helpers and the table are the integration tests' own; only the sampler differs.
export { connect, ensureTable, queryWithin, Writer, type Sample } from '../helpers/workload.js';
/** What the checker needs of an acknowledgement. */
export type Ack = Pick<TestAck, 'id' | 'peer' | 'ackedAtMs'>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Endpoint {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** Every id in the acked table of `endpoint`. */
export async function presentIds(endpoint: Endpoint): Promise<Set<number>> {
  const client = await connect(endpoint, 5_000);
  try {
    const result = await client.query<{ id: string }>('SELECT id FROM acked');
    return new Set(result.rows.map((row) => Number(row.id)));
  } finally {
    await client.end();
  }
}

const PROBE_SQL = `
  SELECT pg_is_in_recovery() AS recovery,
         current_setting('default_transaction_read_only') = 'off' AS writes_on,
         current_setting('synchronous_standby_names') <> '' AS needs_sync,
         EXISTS (SELECT 1 FROM pg_stat_replication WHERE sync_state = 'sync' AND state = 'streaming') AS sync_listed,
         (SELECT sender_host FROM pg_stat_wal_receiver WHERE status = 'streaming' LIMIT 1) AS upstream`;

export interface Probe {
  readonly recovery: boolean;
  readonly writes_on: boolean;
  readonly needs_sync: boolean;
  readonly sync_listed: boolean;
  readonly upstream: string | null;
}

/**
 * Whether each peer would acknowledge a write now: out of recovery, writes on, and its commits wait for nobody
 * (singleton) or for a sync that is really streaming from it. The sync's own view is asked too: a primary cut off by a
 * partition still lists its old sync as streaming until wal_sender_timeout, although no commit of it can complete.
 */
export function acceptingPeers(endpoints: readonly Endpoint[], probes: ReadonlyArray<Probe | null>): string[] {
  const streamsFrom = (host: string): boolean => probes.some((p) => p !== null && p.recovery && p.upstream === host);
  return endpoints.filter((endpoint, i) => {
    const p = probes[i];
    if (p === null || p === undefined || p.recovery || !p.writes_on) return false;
    return !p.needs_sync || (p.sync_listed && streamsFrom(endpoint.host));
  }).map((e) => e.name);
}

/** Every 100 ms asks every peer in parallel whether it would acknowledge a write now (see acceptingPeers). */
export class SplitBrainSampler extends BackgroundLoop {
  readonly samples: Sample[] = [];
  private readonly clients = new Map<string, pg.Client>();

  constructor(private readonly endpoints: readonly Endpoint[], private readonly periodMs = 100) {
    super();
  }

  protected override async afterStop(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.end().catch(() => undefined)));
    this.clients.clear();
  }

  protected async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      const probes = await Promise.all(this.endpoints.map((endpoint) => this.probe(endpoint)));
      this.samples.push({ atMs: started, writable: acceptingPeers(this.endpoints, probes) });
      await sleep(Math.max(0, this.periodMs - (Date.now() - started)));
    }
  }

  /** One connection per peer, kept between samples: a new backend 30 times a second costs more CPU than the probe. */
  private async probe(endpoint: Endpoint): Promise<Probe | null> {
    let client = this.clients.get(endpoint.name);
    try {
      if (client === undefined) {
        client = await connect(endpoint, 300);
        this.clients.set(endpoint.name, client);
      }
      const result = await queryWithin<Probe & pg.QueryResultRow>(client, PROBE_SQL, [], 300);
      return result.rows[0] ?? null;
    } catch {
      this.clients.delete(endpoint.name);
      void client?.end().catch(() => undefined);
      return null;
    }
  }
}
