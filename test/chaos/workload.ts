// The chaos workload: a writer that records every acknowledged write and a 100 ms split-brain sampler, for peers on any address.
import pg from 'pg';
import { BackgroundLoop } from '../helpers/workload.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Endpoint {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export interface Ack {
  readonly id: number;
  readonly peer: string;
  readonly ackedAtMs: number;
}

export interface Sample {
  readonly atMs: number;
  readonly writable: readonly string[];
}

export async function connect(endpoint: Endpoint, timeoutMs: number): Promise<pg.Client> {
  const client = new pg.Client({ host: endpoint.host, port: endpoint.port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Gives up (and drops the connection) after timeoutMs: a commit waiting for an absent sync ignores statement_timeout. */
export async function queryWithin<T extends pg.QueryResultRow>(client: pg.Client, sql: string, params: unknown[], timeoutMs: number): Promise<pg.QueryResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void client.end().catch(() => undefined);
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([client.query<T>(sql, params), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function ensureTable(endpoint: Endpoint): Promise<void> {
  const client = await connect(endpoint, 5_000);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS acked (id bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())');
  } finally {
    await client.end();
  }
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

/** Writes ids 1, 2, 3, ... to whichever peer takes them and records each acknowledgement; tries the next peer on failure. */
export class Writer extends BackgroundLoop {
  readonly acks: Ack[] = [];
  failures = 0;
  private nextId = 1;
  private readonly clients = new Map<string, pg.Client>();

  constructor(private readonly endpoints: readonly Endpoint[], private readonly intervalMs = 20, private readonly timeoutMs = 2_000) {
    super();
  }

  protected override async afterStop(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.end().catch(() => undefined)));
    this.clients.clear();
  }

  protected async run(): Promise<void> {
    let preferred = 0;
    while (this.running) {
      const endpoint = this.endpoints[preferred % this.endpoints.length];
      if (endpoint === undefined) return;
      if (await this.writeOnce(endpoint)) {
        await sleep(this.intervalMs);
      } else {
        preferred += 1;
        await sleep(10);
      }
    }
  }

  private async writeOnce(endpoint: Endpoint): Promise<boolean> {
    const id = this.nextId;
    this.nextId += 1;
    try {
      let client = this.clients.get(endpoint.name);
      if (client === undefined) {
        client = await connect(endpoint, 1_000);
        this.clients.set(endpoint.name, client);
      }
      await queryWithin(client, 'INSERT INTO acked (id) VALUES ($1)', [id], this.timeoutMs);
      this.acks.push({ id, peer: endpoint.name, ackedAtMs: Date.now() });
      return true;
    } catch {
      this.failures += 1;
      const client = this.clients.get(endpoint.name);
      this.clients.delete(endpoint.name);
      void client?.end().catch(() => undefined);
      return false;
    }
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
