// Test doubles for dugong-adm and the client: an in-memory Coordinator that keeps the contract's CAS and history, and fixed peers.
import { coordError, type ActiveList, type Coordinator, type CoordinatorEventName, type CoordinatorListener, type HistoryEntry, type StateRead, type StateWriteResult, type Unsubscribe, type WriteStateOptions } from '../../src/coord/index.js';
import { EventHub } from '../../src/coord/event-hub.js';
import type { AdmDeps, AdmIo } from '../../src/adm/types.js';
import type { PgProbe } from '../../src/adm/pg-probe.js';
import type { Clock } from '../../src/platform/clock.js';
import type { ClusterState, Peer } from '../../src/schema/index.js';

export function peer(n: number): Peer {
  const pgPort = 5432 + 10 * (n - 1);
  return { id: `10.0.0.${n}:${pgPort}:${10002 + 10 * (n - 1)}`, ip: `10.0.0.${n}`, pgUrl: `tcp://postgres@10.0.0.${n}:${pgPort}/postgres`, zoneId: `zone${n}`, backupUrl: `http://10.0.0.${n}:${10002 + 10 * (n - 1)}` };
}

export const P1 = peer(1);
export const P2 = peer(2);
export const P3 = peer(3);
export const P4 = peer(4);

export function baseState(overrides: Partial<ClusterState> = {}): ClusterState {
  return { generation: 3, primary: P1, sync: P2, async: [P3], deposed: [], initWal: '0/3000000', ...overrides };
}

export function activeOf(...peers: Peer[]): ActiveList {
  return { entries: peers.map((p, seq) => ({ peer: p, seq, nodeName: `${p.id}-${String(seq).padStart(10, '0')}` })), rejected: [] };
}

/** An in-memory coordinator: writeState compares versions and records history like the ZooKeeper backend. */
export class FakeCoordinator implements Coordinator {
  readonly shardPath = '/dugong/test';
  read: StateRead;
  active: ActiveList;
  history: HistoryEntry[] = [];
  started = 0;
  closed = 0;
  /** Throws from start() while > 0 (decremented per call). */
  failStarts = 0;
  /** Runs before a write is applied, e.g. to simulate someone else writing first. */
  beforeWrite: (() => void) | undefined;
  private readonly hub = new EventHub(() => undefined);

  constructor(state: ClusterState | null, active: ActiveList = activeOf(P1, P2, P3)) {
    this.read = state === null ? { kind: 'absent' } : { kind: 'valid', state, version: 0 };
    this.active = active;
  }

  async start(): Promise<void> {
    this.started += 1;
    if (this.failStarts > 0) {
      this.failStarts -= 1;
      throw coordError({ kind: 'timeout', operation: 'start', timeoutMs: 10 }, 'no answer');
    }
    this.hub.emit('state', this.read);
  }

  async close(): Promise<void> {
    this.closed += 1;
  }

  register(): never {
    throw new Error('not used');
  }

  async unregister(): Promise<void> {}

  async activePeers(): Promise<ActiveList> {
    return this.active;
  }

  async readState(): Promise<StateRead> {
    return this.read;
  }

  async createState(): Promise<StateWriteResult> {
    throw new Error('not used');
  }

  async writeState(state: ClusterState, expectedVersion: number, options?: WriteStateOptions): Promise<StateWriteResult> {
    this.beforeWrite?.();
    const version = this.read.kind === 'absent' ? -1 : this.read.version;
    if (version !== expectedVersion) throw coordError({ kind: 'conflict', operation: 'writeState', expectedVersion }, 'version changed');
    return this.set(state, options?.historyGeneration ?? state.generation);
  }

  /** Writes as a sitter (or another operator) would, and tells the listeners. */
  set(state: ClusterState, historyGeneration = state.generation): StateWriteResult {
    const version = this.read.kind === 'absent' ? 0 : this.read.version + 1;
    this.read = { kind: 'valid', state, version };
    const seq = this.history.length;
    const nodeName = `${historyGeneration}-${String(seq).padStart(10, '0')}`;
    this.history.push({ nodeName, generation: historyGeneration, seq, record: { kind: 'valid', state, version } });
    this.hub.emit('state', this.read);
    return { version, historyNode: nodeName };
  }

  emitState(read: StateRead): void {
    this.read = read;
    this.hub.emit('state', read);
  }

  async readHistory(): Promise<readonly HistoryEntry[]> {
    return this.history;
  }

  registration(): undefined {
    return undefined;
  }

  on<E extends CoordinatorEventName>(event: E, listener: CoordinatorListener<E>): Unsubscribe {
    return this.hub.on(event, listener);
  }
}

/** A clock whose `now` is fixed and whose sleeps and timers run at once (so waits and repeats need no real time). */
export function instantClock(nowMs = Date.parse('2030-01-01T00:00:00Z')): Clock & { advance(ms: number): void } {
  let now = nowMs;
  return {
    now: () => now,
    monotonicMs: () => now,
    advance: (ms) => {
      now += ms;
    },
    setTimer: (delayMs, callback) => {
      const timer = setTimeout(() => {
        now += delayMs;
        callback();
      }, 0);
      return { cancel: () => clearTimeout(timer) };
    },
    sleep: (delayMs) => new Promise((resolve) => setTimeout(() => {
      now += delayMs;
      resolve();
    }, 0)),
  };
}

export function upProbe(overrides: Partial<Extract<PgProbe, { kind: 'up' }>> = {}): PgProbe {
  return { kind: 'up', inRecovery: true, currentLsn: null, receiveLsn: '0/3000100', replayLsn: '0/3000100', readOnly: true, syncStandbyNames: '', replication: [], receiver: null, ...overrides };
}

export interface CapturedIo extends AdmIo {
  out(): string;
  err(): string;
}

export function captureIo(): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

export function fakeDeps(coordinator: Coordinator, probes: ReadonlyMap<string, PgProbe> = new Map(), clock: Clock = instantClock()): AdmDeps {
  return {
    clock,
    createCoordinator: () => coordinator,
    probe: async (p) => probes.get(p.id) ?? { kind: 'down', error: 'connection refused' },
    loadSitterConfig: async () => {
      throw new Error('no config in this test');
    },
    loadZkCredential: async () => {
      throw new Error('no ZooKeeper credential in this test');
    },
    http: async () => {
      throw new Error('no sitter API in this test');
    },
  };
}
