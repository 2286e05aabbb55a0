// Shared pieces for the Coordinator integration tests: peers and states, an event recorder, coordinators closed in teardown.
import zookeeper, { type Client } from 'node-zookeeper-client';
import { createZooKeeperCoordinator, type Coordinator, type CoordinatorEvents, type ZooKeeperCoordinatorOptions } from '../../src/coord/index.js';
import type { ClusterState, ElectionPayload, Peer, PeerId } from '../../src/schema/index.js';
import { TEST_ZK_CREDENTIAL, digestAccess } from '../helpers/zk-auth.js';

export function peerId(n: number): PeerId {
  return `10.0.0.${n}:5432:12345`;
}

export function payload(n: number): ElectionPayload {
  return { zoneId: `zone-${n}`, ip: `10.0.0.${n}`, pgUrl: `tcp://postgres@10.0.0.${n}:5432/postgres`, backupUrl: `http://10.0.0.${n}:12345` };
}

export function peer(n: number): Peer {
  return { id: peerId(n), ...payload(n) };
}

export function clusterState(generation: number, primary: number, sync: number, asyncs: readonly number[] = []): ClusterState {
  return {
    generation,
    primary: peer(primary),
    sync: peer(sync),
    async: asyncs.map(peer),
    deposed: [],
    initWal: '0/0',
  };
}

type Recorded = { [E in keyof CoordinatorEvents]: { readonly event: E; readonly payload: CoordinatorEvents[E]; readonly atMs: number } }[keyof CoordinatorEvents];

/** Records every event of a coordinator; `waitFor` polls the record so no event can be missed between checks. */
export class EventRecorder {
  readonly events: Recorded[] = [];

  constructor(coordinator: Coordinator) {
    coordinator.on('active', (p) => this.events.push({ event: 'active', payload: p, atMs: Date.now() }));
    coordinator.on('state', (p) => this.events.push({ event: 'state', payload: p, atMs: Date.now() }));
    coordinator.on('session', (p) => this.events.push({ event: 'session', payload: p, atMs: Date.now() }));
  }

  of<E extends keyof CoordinatorEvents>(event: E): CoordinatorEvents[E][] {
    return this.events.filter((r) => r.event === event).map((r) => r.payload as CoordinatorEvents[E]);
  }

  count(event: keyof CoordinatorEvents): number {
    return this.of(event).length;
  }

  /** Current position in the record: pass it as `from` to wait only for later events. */
  mark(): number {
    return this.events.length;
  }

  async waitFor<E extends keyof CoordinatorEvents>(
    event: E,
    predicate: (payload: CoordinatorEvents[E]) => boolean,
    timeoutMs = 10_000,
    from = 0,
  ): Promise<CoordinatorEvents[E]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events
        .slice(from)
        .filter((r) => r.event === event)
        .map((r) => r.payload as CoordinatorEvents[E])
        .find(predicate);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no matching "${event}" event within ${timeoutMs} ms; got ${JSON.stringify(this.of(event))}`);
      await sleep(10);
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates coordinators for one test file and closes every one of them in teardown. */
export class CoordinatorPool {
  private readonly open: Coordinator[] = [];

  constructor(private readonly defaults: () => Pick<ZooKeeperCoordinatorOptions, 'connectString'>) {}

  create(shardPath: string, options: Partial<ZooKeeperCoordinatorOptions> = {}): Coordinator {
    const coordinator = createZooKeeperCoordinator({
      sessionTimeoutMs: 2_000,
      callTimeoutMs: 2_000,
      retryDelayMs: 100,
      // As a sitter runs: authenticated, every znode with the shard's ACL (pass `access` to test others).
      access: digestAccess(TEST_ZK_CREDENTIAL),
      ...this.defaults(),
      shardPath,
      ...options,
    });
    this.open.push(coordinator);
    return coordinator;
  }

  async started(shardPath: string, options: Partial<ZooKeeperCoordinatorOptions> = {}): Promise<{ coordinator: Coordinator; events: EventRecorder }> {
    const coordinator = this.create(shardPath, options);
    const events = new EventRecorder(coordinator);
    await coordinator.start();
    return { coordinator, events };
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((c) => c.close()));
  }
}

/**
 * A plain library client, for writing what the Coordinator never would (malformed data). Authenticated as the
 * pool's coordinators unless `authenticated` is false.
 */
export async function withRawClient<T>(connectString: string, work: (client: Client) => Promise<T>, authenticated = true): Promise<T> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 2_000, spinDelay: 100 });
  if (authenticated) client.addAuthInfo('digest', Buffer.from(`${TEST_ZK_CREDENTIAL.user}:${TEST_ZK_CREDENTIAL.password}`));
  await new Promise<void>((resolve) => {
    client.once('connected', () => resolve());
    client.connect();
  });
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

export function rawCall<T>(issue: (done: (error: unknown, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    issue((error, value) => (error === null || error === undefined ? resolve(value) : reject(error)));
  });
}
