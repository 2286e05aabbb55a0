// The topology client: follows a shard's cluster state through the Coordinator and emits [primary, sync, ...asyncs] on every change.
import { EventEmitter } from 'node:events';
import { createZooKeeperCoordinator, type Coordinator, type StateRead } from '../coord/index.js';
import { DugongError, errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { systemClock, type Clock, type TimerHandle } from '../platform/clock.js';
import { ZooKeeperConfigSchema } from '../schema/sitter-config.js';
import { sameTopology, topologyOf } from './topology.js';

export interface ClientOptions {
  /** The shard's path in ZooKeeper, e.g. "/dugong/shard1". */
  readonly shardPath: string;
  readonly zk: {
    /** "host:port[,host:port...]": every ensemble member, so the client can move between them. */
    readonly connectString: string;
    readonly sessionTimeoutMs?: number;
    readonly callTimeoutMs?: number;
  };
  readonly log?: Logger;
  readonly clock?: Clock;
  /** Replaces the ZooKeeper coordinator (tests). */
  readonly createCoordinator?: () => Coordinator;
}

export interface TopologyClientEvents {
  /** Once, when the client first reached the coordination service; the first `topology` follows. */
  ready: [];
  /** The PostgreSQL URLs [primary, sync, ...asyncs], emitted whenever that list changes (not on other state changes). */
  topology: [urls: string[]];
  /** A problem the client works around by itself (unreachable service, invalid state); it keeps going. */
  error: [error: Error];
}

const SHARD_PATH = /^(\/[A-Za-z0-9_.-]+)+$/;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

export function validateClientOptions(options: ClientOptions): void {
  if (!SHARD_PATH.test(options.shardPath)) throw new DugongError('DUGONG_ERR_USAGE', `shardPath must be a ZooKeeper path like "/dugong/shard1": ${JSON.stringify(options.shardPath)}`);
  if (!ZooKeeperConfigSchema.shape.connectString.safeParse(options.zk.connectString).success) {
    throw new DugongError('DUGONG_ERR_USAGE', `zk.connectString must be "host:port[,host:port...]": ${JSON.stringify(options.zk.connectString)}`);
  }
}

export class TopologyClient extends EventEmitter<TopologyClientEvents> {
  private coordinator: Coordinator | undefined;
  private closed = false;
  private ready = false;
  private current: string[] | undefined;
  private retryTimer: TimerHandle | undefined;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly factory: () => Coordinator;

  constructor(options: ClientOptions) {
    super();
    validateClientOptions(options);
    this.log = (options.log ?? silentLogger()).child({ component: 'dugong-client', shardPath: options.shardPath });
    this.clock = options.clock ?? systemClock;
    this.factory = options.createCoordinator ?? (() => createZooKeeperCoordinator({
      connectString: options.zk.connectString,
      shardPath: options.shardPath,
      sessionTimeoutMs: options.zk.sessionTimeoutMs ?? 10_000,
      callTimeoutMs: options.zk.callTimeoutMs ?? 5_000,
      log: this.log,
    }));
    void this.connect(RETRY_MIN_MS);
  }

  /** The last topology emitted, or undefined before the first. */
  topology(): string[] | undefined {
    return this.current === undefined ? undefined : [...this.current];
  }

  async close(): Promise<void> {
    this.closed = true;
    this.retryTimer?.cancel();
    const coordinator = this.coordinator;
    this.coordinator = undefined;
    await coordinator?.close();
  }

  /** Until the first start succeeds; after that the Coordinator reconnects (and re-reads the state) on its own. */
  private async connect(retryMs: number): Promise<void> {
    if (this.closed) return;
    const coordinator = this.factory();
    const unsubscribe = coordinator.on('state', (read) => this.onState(read));
    this.coordinator = coordinator;
    try {
      await coordinator.start();
    } catch (error) {
      unsubscribe();
      this.coordinator = undefined;
      await coordinator.close();
      this.fail(error);
      if (!this.closed) this.retryTimer = this.clock.setTimer(retryMs, () => void this.connect(Math.min(RETRY_MAX_MS, retryMs * 2)));
      return;
    }
    if (this.closed) {
      await coordinator.close();
      return;
    }
    this.ready = true;
    this.emit('ready');
    if (this.current !== undefined) this.emit('topology', [...this.current]);
  }

  private onState(read: StateRead): void {
    if (this.closed) return;
    if (read.kind === 'invalid') {
      this.fail(new DugongError('DUGONG_ERR_STATE_INVALID', `the cluster state is invalid; keeping the last topology: ${read.problems.join('; ')}`));
      return;
    }
    const next = read.kind === 'valid' ? topologyOf(read.state) : [];
    if (this.current !== undefined && sameTopology(this.current, next)) return;
    this.current = next;
    // Before `ready` the list is only remembered; `ready` is followed by the first topology.
    if (this.ready) this.emit('topology', [...next]);
  }

  /** `error` is only emitted to someone listening: an unhandled 'error' event would crash the application. */
  private fail(error: unknown): void {
    const err = error instanceof Error ? error : new Error(errorMessage(error));
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else this.log.warn({ err }, 'dugong client problem (no error listener)');
  }
}

/** Follows one shard's topology; listen for `ready`, `topology` and `error`, then `close()` when done. */
export function createClient(options: ClientOptions): TopologyClient {
  return new TopologyClient(options);
}
