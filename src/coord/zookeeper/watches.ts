// The two watches (election children, state node): one stable watcher function per client, re-armed once per event.
import type { Client, Event } from 'node-zookeeper-client';
import type { Logger } from '../../log.js';
import type { Clock } from '../../platform/clock.js';
import { coordErrorKind } from '../coord-errors.js';
import type { ActiveList } from '../coordinator.js';
import type { EventHub } from '../event-hub.js';
import { Refresher } from '../refresher.js';
import type { CallRunner } from './call-runner.js';
import { readActiveList } from './election.js';
import type { ShardPaths } from './paths.js';
import type { ZkSession } from './session.js';
import { readStateNode } from './state-store.js';
import type { Watcher, ZkOps } from './zk-ops.js';

interface ClientWatchers {
  readonly children: Watcher;
  readonly state: Watcher;
}

export interface WatchDeps {
  readonly runner: CallRunner;
  readonly session: ZkSession;
  readonly hub: EventHub;
  readonly paths: ShardPaths;
  readonly clock: Clock;
  readonly retryDelayMs: number;
  readonly log: Logger;
  /** False for a read-only coordinator: a missing election directory is watched for, not created. */
  readonly canCreate: boolean;
}

/**
 * ZooKeeper watches are one-shot and the library calls every distinct function registered for a path, so each
 * client gets exactly one watcher function per path (the library de-duplicates by identity) and each event
 * triggers exactly one re-read, which re-arms the watch.
 */
export class Watches {
  private readonly perClient = new WeakMap<Client, ClientWatchers>();
  private readonly active: Refresher;
  private readonly state: Refresher;

  constructor(private readonly deps: WatchDeps) {
    const refresher = (what: string, refresh: () => Promise<void>): Refresher =>
      new Refresher({
        clock: deps.clock,
        retryDelayMs: deps.retryDelayMs,
        refresh,
        shouldRetry: () => deps.session.isConnected(),
        onError: (error) => deps.log.warn({ err: error, what }, 'watch re-read failed; retrying after reconnect or delay'),
      });
    this.active = refresher('election', () => this.refreshActive());
    this.state = refresher('state', () => this.refreshState());
  }

  /** Re-read both (after (re)connect): publishes current values and re-arms both watches. */
  refreshAll(): void {
    this.active.trigger();
    this.state.trigger();
  }

  async whenIdle(): Promise<void> {
    await Promise.all([this.active.whenIdle(), this.state.whenIdle()]);
  }

  stop(): void {
    this.active.stop();
    this.state.stop();
  }

  private watchersFor(client: Client): ClientWatchers {
    let watchers = this.perClient.get(client);
    if (watchers === undefined) {
      watchers = {
        children: (event) => this.onEvent(client, this.active, event),
        state: (event) => this.onEvent(client, this.state, event),
      };
      this.perClient.set(client, watchers);
    }
    return watchers;
  }

  private onEvent(client: Client, refresher: Refresher, event: Event): void {
    if (!this.deps.session.isCurrent(client)) return;
    this.deps.log.debug({ event: event.getName(), path: event.getPath() }, 'zookeeper watch fired');
    refresher.trigger();
  }

  private async refreshActive(): Promise<void> {
    const { runner, hub } = this.deps;
    const list = await runner.run('watchActive', (ops) => this.readActiveArmed(ops));
    if (!this.deps.session.isClosed()) hub.emit('active', list);
  }

  /**
   * A missing election directory cannot carry a child watch: create it (it is a plain persistent parent), or,
   * read-only, leave an existence watch on it (its creation triggers a re-read) and report nobody.
   */
  private async readActiveArmed(ops: ZkOps): Promise<ActiveList> {
    const watcher = this.watchersFor(ops.client).children;
    const election = this.deps.paths.election;
    for (;;) {
      try {
        return await readActiveList(ops, election, watcher);
      } catch (error) {
        if (coordErrorKind(error) !== 'no-node') throw error;
      }
      if (this.deps.canCreate) await ops.mkdirp(election);
      else if ((await ops.exists(election, watcher)) === null) return { entries: [], rejected: [] };
    }
  }

  private async refreshState(): Promise<void> {
    const { runner, paths, hub } = this.deps;
    const read = await runner.run('watchState', (ops) => readStateNode(ops, paths.state, this.watchersFor(ops.client).state));
    if (!this.deps.session.isClosed()) hub.emit('state', read);
  }
}
