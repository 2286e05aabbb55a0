// The ZooKeeper implementation of Coordinator: wires session, call runner, registrar, watches and the state store.
import { silentLogger, type Logger } from '../../log.js';
import { systemClock, type Clock, type TimerHandle } from '../../platform/clock.js';
import type { ClusterState, ElectionPayload, PeerId } from '../../schema/index.js';
import { coordError, coordErrorKind } from '../coord-errors.js';
import type {
  ActiveList,
  Coordinator,
  CoordinatorEventName,
  CoordinatorListener,
  HistoryEntry,
  Registration,
  StateRead,
  StateWriteResult,
  Unsubscribe,
  WriteStateOptions,
} from '../coordinator.js';
import { EventHub } from '../event-hub.js';
import { aclFor, type ZkAccess } from './acl.js';
import { CallRunner } from './call-runner.js';
import { readActiveList } from './election.js';
import { readHistoryEntries } from './history.js';
import { shardPaths, type ShardPaths } from './paths.js';
import { Registrar } from './registrar.js';
import { ZkSession, type SessionSignal } from './session.js';
import { createStateNode, readStateNode, writeStateNode } from './state-store.js';
import { Watches } from './watches.js';

export interface ZooKeeperCoordinatorOptions {
  /** `host:port,host:port,...` (every ensemble member, so the client can fail over). */
  readonly connectString: string;
  /** e.g. `/manatee/1.moray.example.com`; parents are created as needed. */
  readonly shardPath: string;
  /** Requested session timeout; the server clamps it (read the negotiated value from the `connected` event). */
  readonly sessionTimeoutMs: number;
  /** Bound of every call, including the wait for a connection. Default 5000. */
  readonly callTimeoutMs?: number;
  /** Bound of `start()`. Default: max(callTimeoutMs, sessionTimeoutMs). */
  readonly connectTimeoutMs?: number;
  /** How long `close()` waits for the server to confirm. Default 2000. */
  readonly closeTimeoutMs?: number;
  /** Pause before re-trying a failed watch re-read or re-registration. Default 500. */
  readonly retryDelayMs?: number;
  /** Library's random pause after all servers were tried. Default 200. */
  readonly spinDelayMs?: number;
  /**
   * The shard's identity (acl.ts). Default `read-only`: nothing is created (not even the election directory),
   * reads work on any shard, writes to a shard with ACLs are refused (`no-auth`).
   */
  readonly access?: ZkAccess;
  readonly clock?: Clock;
  readonly log?: Logger;
}

type Lifecycle = 'new' | 'started' | 'closed';

class ZooKeeperCoordinator implements Coordinator {
  readonly shardPath: string;
  private readonly paths: ShardPaths;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly hub: EventHub;
  private readonly session: ZkSession;
  private readonly runner: CallRunner;
  private readonly registrar: Registrar;
  private readonly watches: Watches;
  private readonly connectTimeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly canCreate: boolean;
  private lifecycle: Lifecycle = 'new';
  // Session signals are handled one after the other so that events keep their order.
  private signals: Promise<void> = Promise.resolve();
  private reconcileTimer: TimerHandle | undefined;

  constructor(options: ZooKeeperCoordinatorOptions) {
    this.paths = shardPaths(options.shardPath);
    this.shardPath = this.paths.shard;
    this.clock = options.clock ?? systemClock;
    this.log = (options.log ?? silentLogger()).child({ component: 'coord', shardPath: this.shardPath });
    const callTimeoutMs = options.callTimeoutMs ?? 5_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? Math.max(callTimeoutMs, options.sessionTimeoutMs);
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.hub = new EventHub((event, error) => this.log.error({ err: error, event }, 'coordinator event listener threw'));
    const access = options.access ?? { kind: 'read-only' };
    const acl = aclFor(access);
    this.canCreate = acl !== undefined;
    const sessionOptions = {
      access,
      connectString: options.connectString,
      sessionTimeoutMs: options.sessionTimeoutMs,
      spinDelayMs: options.spinDelayMs ?? 200,
      closeTimeoutMs: options.closeTimeoutMs ?? 2_000,
    };
    this.session = new ZkSession(sessionOptions, this.clock, this.log, (signal) => this.onSignal(signal));
    this.runner = new CallRunner(this.session, this.clock, callTimeoutMs, acl);
    this.registrar = new Registrar(this.runner, this.paths.election, this.log, () => this.session.currentEpoch());
    const { runner, session, hub, paths, clock, retryDelayMs, log, canCreate } = this;
    this.watches = new Watches({ runner, session, hub, paths, clock, retryDelayMs, log, canCreate });
  }

  async start(): Promise<void> {
    if (this.lifecycle !== 'new') throw coordError({ kind: 'failed', operation: 'start' }, `cannot start: ${this.lifecycle}`);
    this.lifecycle = 'started';
    this.session.open();
    try {
      // A read-only coordinator only waits for the connection: it must not create the shard (with whose ACL?).
      await this.runner.run('start', async (ops) => {
        if (this.canCreate) await ops.mkdirp(this.paths.election);
        else await ops.exists(this.paths.election);
      }, this.connectTimeoutMs);
    } catch (error) {
      await this.close();
      throw error;
    }
    // The `connected` signal is queued by now: let it publish, then wait for the first reads.
    await this.signals;
    await this.watches.whenIdle();
  }

  async close(): Promise<void> {
    if (this.lifecycle === 'closed') return;
    this.lifecycle = 'closed';
    this.watches.stop();
    this.reconcileTimer?.cancel();
    this.runner.abandonAll();
    await this.session.close();
    this.hub.clear();
  }

  register(id: PeerId, payload: ElectionPayload): Promise<Registration> {
    return this.usable('register', () => this.registrar.register(id, payload));
  }

  unregister(): Promise<void> {
    return this.usable('unregister', () => this.registrar.unregister());
  }

  registration(): Registration | undefined {
    return this.lifecycle === 'started' ? this.registrar.current() : undefined;
  }

  activePeers(): Promise<ActiveList> {
    return this.usable('activePeers', () =>
      this.runner.run('activePeers', async (ops) => {
        try {
          return await readActiveList(ops, this.paths.election);
        } catch (error) {
          if (coordErrorKind(error) === 'no-node') return { entries: [], rejected: [] };
          throw error;
        }
      }),
    );
  }

  readState(): Promise<StateRead> {
    return this.usable('readState', () => this.runner.run('readState', (ops) => readStateNode(ops, this.paths.state)));
  }

  createState(state: ClusterState): Promise<StateWriteResult> {
    return this.usable('createState', () => this.runner.run('createState', (ops) => createStateNode(ops, this.paths, state)));
  }

  writeState(state: ClusterState, expectedVersion: number, options: WriteStateOptions = {}): Promise<StateWriteResult> {
    const historyGeneration = options.historyGeneration ?? state.generation;
    return this.usable('writeState', () =>
      this.runner.run('writeState', (ops) => writeStateNode(ops, this.paths, state, expectedVersion, historyGeneration)),
    );
  }

  readHistory(): Promise<readonly HistoryEntry[]> {
    return this.usable('readHistory', () =>
      this.runner.run('readHistory', (ops) => readHistoryEntries(ops, this.paths.history, this.log)),
    );
  }

  on<E extends CoordinatorEventName>(event: E, listener: CoordinatorListener<E>): Unsubscribe {
    return this.hub.on(event, listener);
  }

  private usable<T>(operation: string, call: () => Promise<T>): Promise<T> {
    if (this.lifecycle === 'started') return call();
    const kind = this.lifecycle === 'closed' ? 'closed' : 'failed';
    return Promise.reject(coordError({ kind, operation }, this.lifecycle === 'closed' ? 'coordinator is closed' : 'call start() first'));
  }

  private onSignal(signal: SessionSignal): void {
    this.signals = this.signals
      .then(() => this.handleSignal(signal))
      .catch((error: unknown) => this.log.error({ err: error }, 'handling a session change failed'));
  }

  private async handleSignal(signal: SessionSignal): Promise<void> {
    if (this.lifecycle === 'closed') return;
    switch (signal.kind) {
      case 'connected':
        this.log.info({ sessionId: signal.sessionId, newSession: signal.newSession }, 'zookeeper session connected');
        if (this.registrar.needsReconcile()) await this.reconcileRegistration(signal.epoch);
        this.hub.emit('session', { kind: 'connected', sessionId: signal.sessionId, sessionTimeoutMs: signal.sessionTimeoutMs });
        this.watches.refreshAll();
        return;
      case 'disconnected':
        this.log.warn({ sessionId: signal.sessionId }, 'zookeeper disconnected');
        this.hub.emit('session', { kind: 'disconnected', sessionId: signal.sessionId });
        return;
      case 'expired':
        this.log.warn({ sessionId: signal.sessionId }, 'zookeeper session expired; opening a new one');
        this.hub.emit('session', { kind: 'expired', sessionId: signal.sessionId });
        return;
    }
  }

  /** One attempt inline (so `connected` follows the re-registration); failures are retried in the background. */
  private async reconcileRegistration(epoch: number): Promise<void> {
    try {
      await this.registrar.reconcile();
    } catch (error) {
      this.log.warn({ err: error }, 'registration not in place yet; retrying');
      this.scheduleReconcile(epoch);
    }
  }

  private scheduleReconcile(epoch: number): void {
    this.reconcileTimer?.cancel();
    this.reconcileTimer = this.clock.setTimer(this.retryDelayMs, () => {
      this.reconcileTimer = undefined;
      if (this.lifecycle !== 'started' || this.session.currentEpoch() !== epoch || !this.registrar.needsReconcile()) return;
      // While disconnected the next `connected` reconciles anyway.
      if (!this.session.isConnected()) return;
      void this.reconcileRegistration(epoch);
    });
  }
}

export function createZooKeeperCoordinator(options: ZooKeeperCoordinatorOptions): Coordinator {
  return new ZooKeeperCoordinator(options);
}
