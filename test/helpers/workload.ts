// A write workload that records every acknowledged write, and a 100 ms sampler of which peers accept writes.
import pg from 'pg';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface PgEndpoint {
  readonly name: string;
  /** Default 127.0.0.1; the chaos shard's peers have addresses of their own. */
  readonly host?: string;
  readonly port: number;
}

export interface Ack {
  readonly id: number;
  readonly peer: string;
  readonly sentAtMs: number;
  readonly ackedAtMs: number;
}

export async function connect(endpoint: PgEndpoint, timeoutMs: number): Promise<pg.Client> {
  const client = new pg.Client({ host: endpoint.host ?? '127.0.0.1', port: endpoint.port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Runs a query, giving up (and destroying the connection) after timeoutMs: a commit waiting for a sync ignores statement_timeout. */
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

export async function ensureTable(endpoint: PgEndpoint): Promise<void> {
  const client = await connect(endpoint, 5_000);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS acked (id bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())');
  } finally {
    await client.end();
  }
}

/** A loop that runs in the background from start() until stop() has seen it finish. */
export abstract class BackgroundLoop {
  protected running = false;
  private loop: Promise<void> | undefined;

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.afterStop();
  }

  protected abstract run(): Promise<void>;

  protected async afterStop(): Promise<void> {}
}

/** Writes ids 1, 2, 3, ... to whichever peer takes them, and records each one a peer acknowledged. */
export class Writer extends BackgroundLoop {
  readonly acks: Ack[] = [];
  failures = 0;
  private nextId = 1;
  private clients = new Map<string, pg.Client>();

  constructor(private readonly endpoints: readonly PgEndpoint[], private readonly intervalMs = 20, private readonly timeoutMs = 2_000) {
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

  private async writeOnce(endpoint: PgEndpoint): Promise<boolean> {
    const id = this.nextId;
    this.nextId += 1;
    const sentAtMs = Date.now();
    try {
      let client = this.clients.get(endpoint.name);
      if (client === undefined) {
        client = await connect(endpoint, 1_000);
        this.clients.set(endpoint.name, client);
      }
      await queryWithin(client, 'INSERT INTO acked (id) VALUES ($1)', [id], this.timeoutMs);
      this.acks.push({ id, peer: endpoint.name, sentAtMs, ackedAtMs: Date.now() });
      return true;
    } catch {
      this.failures += 1;
      const client = this.clients.get(endpoint.name);
      this.clients.delete(endpoint.name);
      void client?.end().catch(() => undefined);
      return false;
    }
  }

  /** Acknowledged ids that are missing on `endpoint` (the final primary). */
  async missingOn(endpoint: PgEndpoint): Promise<number[]> {
    const client = await connect(endpoint, 5_000);
    try {
      const result = await client.query<{ id: string }>('SELECT id FROM acked');
      const present = new Set(result.rows.map((row) => Number(row.id)));
      return this.acks.filter((ack) => !present.has(ack.id)).map((ack) => ack.id);
    } finally {
      await client.end();
    }
  }

  /** Peers whose acknowledged-write intervals overlap: two primaries acknowledging writes at the same time. */
  overlappingAckers(): string[] {
    const spans = new Map<string, { first: number; last: number }>();
    for (const ack of this.acks) {
      const span = spans.get(ack.peer) ?? { first: ack.ackedAtMs, last: ack.ackedAtMs };
      spans.set(ack.peer, { first: Math.min(span.first, ack.ackedAtMs), last: Math.max(span.last, ack.ackedAtMs) });
    }
    const list = [...spans];
    const overlaps: string[] = [];
    for (let i = 0; i < list.length; i += 1) {
      for (let j = i + 1; j < list.length; j += 1) {
        const [a, sa] = list[i] ?? ['', { first: 0, last: 0 }];
        const [b, sb] = list[j] ?? ['', { first: 0, last: 0 }];
        if (sa.first <= sb.last && sb.first <= sa.last) overlaps.push(`${a}[${sa.first}..${sa.last}] overlaps ${b}[${sb.first}..${sb.last}]`);
      }
    }
    return overlaps;
  }

  /** The longest time between two consecutive acknowledgements (the write-unavailability window). */
  longestGapMs(): number {
    let longest = 0;
    for (let i = 1; i < this.acks.length; i += 1) {
      const gap = (this.acks[i]?.ackedAtMs ?? 0) - (this.acks[i - 1]?.ackedAtMs ?? 0);
      longest = Math.max(longest, gap);
    }
    return longest;
  }
}

export interface Sample {
  readonly atMs: number;
  readonly writable: readonly string[];
}

const WRITABLE_SQL = `
  SELECT NOT pg_is_in_recovery() AND current_setting('default_transaction_read_only') = 'off'
     AND (current_setting('synchronous_standby_names') = ''
          OR EXISTS (SELECT 1 FROM pg_stat_replication WHERE sync_state = 'sync' AND state = 'streaming')) AS accepts`;

/**
 * Every 100 ms asks every peer, in parallel, whether it would acknowledge a write now: out of recovery, writes on,
 * and its commits either wait for a streaming sync or (singleton) for nobody.
 */
export class SplitBrainSampler extends BackgroundLoop {
  readonly samples: Sample[] = [];

  constructor(private readonly endpoints: readonly PgEndpoint[], private readonly periodMs = 100) {
    super();
  }

  protected async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      const answers = await Promise.all(this.endpoints.map(async (endpoint) => ((await this.accepts(endpoint)) ? endpoint.name : null)));
      this.samples.push({ atMs: started, writable: answers.filter((name): name is string => name !== null) });
      await sleep(Math.max(0, this.periodMs - (Date.now() - started)));
    }
  }

  private async accepts(endpoint: PgEndpoint): Promise<boolean> {
    let client: pg.Client | undefined;
    try {
      client = await connect(endpoint, 300);
      const result = await queryWithin<{ accepts: boolean }>(client, WRITABLE_SQL, [], 300);
      return result.rows[0]?.accepts === true;
    } catch {
      return false;
    } finally {
      void client?.end().catch(() => undefined);
    }
  }

  /** Samples in which more than one peer accepted writes. */
  splitBrainSamples(): Sample[] {
    return this.samples.filter((sample) => sample.writable.length > 1);
  }
}
