// The runner: feeds observations to decide() one at a time, executes the actions, and turns their results into observations.
import type { Logger } from 'pino';
import type { Action, DecideFn, Observation, SitterState } from '../fsm/index.js';
import type { StatusSnapshot, StatusSource } from '../http/status-snapshot.js';
import type { Clock } from '../platform/clock.js';
import type { PgHealthSnapshot } from '../http/status-snapshot.js';
import type { CoordAction } from './coord-effects.js';
import type { DecisionHistory, DecisionRecord } from './history.js';
import type { PgAction } from './pg-effects.js';
import type { RestoreStatus } from './restore-status.js';
import { buildSnapshot, NO_PROBE_YET } from './snapshot.js';
import { NamedTimers } from './timers.js';

export type Report = (observation: Observation) => void;

/** The storage health check (a write, fsync and read in the dataset, under a deadline) → storageChecked. */
export type StorageAction = Extract<Action, { kind: 'checkStorage' }>;

/** Carries out actions of one kind and reports each result later, as an observation (never synchronously). */
export interface Executor<A> {
  run(action: A, report: Report): void;
}

export interface RunnerDeps {
  readonly decide: DecideFn;
  readonly initialState: SitterState;
  readonly coord: Executor<CoordAction>;
  readonly pg: Executor<PgAction>;
  readonly storage: Executor<StorageAction>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly history: DecisionHistory;
  /** Progress of data copies, for the status API (absent in the simulator). */
  readonly restore?: RestoreStatus;
  /** The state machine asked the process to leave. */
  readonly onExit: (code: number, reason: string) => void;
}

export class Runner implements StatusSource {
  private state: SitterState;
  private readonly inbox: Observation[] = [];
  private draining = false;
  private readonly timers: NamedTimers;
  private pgHealth: PgHealthSnapshot = NO_PROBE_YET;
  private failovers = 0;
  private lastPrimaryId: string | null = null;

  constructor(private readonly deps: RunnerDeps) {
    this.state = deps.initialState;
    this.timers = new NamedTimers(deps.clock, (timer, token) => this.observe({ kind: 'timerFired', timer, token }));
  }

  /** Queues an observation; observations are decided strictly one after another, in arrival order. */
  observe(observation: Observation): void {
    this.inbox.push(observation);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.inbox.shift(); next !== undefined; next = this.inbox.shift()) this.step(next);
    } finally {
      this.draining = false;
    }
  }

  private step(observation: Observation): void {
    const decision = this.deps.decide(this.state, observation, this.deps.clock.now());
    this.state = decision.state;
    this.countFailover();
    for (const action of decision.actions) this.dispatch(action);
  }

  private dispatch(action: Action): void {
    const report: Report = (observation) => this.observe(observation);
    switch (action.kind) {
      case 'register':
      case 'unregister':
      case 'readCoordination':
      case 'writeClusterState':
        this.deps.coord.run(action, report);
        return;
      case 'startPg':
      case 'rebuildData':
      case 'stopPg':
      case 'promotePg':
      case 'reconfigurePg':
      case 'fetchPgStatus':
      case 'fetchReplicationStatus':
        this.deps.pg.run(action, report);
        return;
      case 'checkStorage':
        this.deps.storage.run(action, report);
        return;
      case 'setTimer':
        this.timers.set(action.timer, action.token, action.delayMs);
        return;
      case 'cancelTimer':
        this.timers.cancel(action.timer);
        return;
      case 'log':
        this.record(action);
        return;
      case 'exit':
        this.timers.cancelAll();
        this.deps.onExit(action.code, action.reason);
        return;
      default:
        assertNever(action);
    }
  }

  private record(action: Extract<Action, { kind: 'log' }>): void {
    const cluster = this.state.coord.cluster;
    const generation = cluster.kind === 'valid' ? cluster.state.generation : null;
    const record: DecisionRecord = {
      time: new Date(this.deps.clock.now()).toISOString(),
      sentence: action.sentence,
      generation,
      ...(action.transition === null ? {} : { transitionId: action.transition }),
    };
    this.deps.history.add(record);
    this.deps.log[action.level]({ generation, transition: action.transition, role: this.state.role }, action.sentence);
  }

  private countFailover(): void {
    const cluster = this.state.coord.cluster;
    if (cluster.kind !== 'valid') return;
    const primaryId = cluster.state.primary.id;
    if (this.lastPrimaryId !== null && this.lastPrimaryId !== primaryId) this.failovers += 1;
    this.lastPrimaryId = primaryId;
  }

  /** Keeps the moment a standby stopped streaming across probes, so that the status API can say since when. */
  notePgHealth(health: PgHealthSnapshot): void {
    const notStreaming = health.healthy && health.inRecovery === true && health.streaming === false;
    const since = this.pgHealth.notStreamingSince ?? new Date(this.deps.clock.now()).toISOString();
    this.pgHealth = { ...health, notStreamingSince: notStreaming ? since : null };
  }

  current(): SitterState {
    return this.state;
  }

  snapshot(): StatusSnapshot {
    return buildSnapshot(this.state, this.pgHealth, this.deps.restore?.view() ?? null, this.failovers, this.deps.clock.now());
  }

  history(limit: number): readonly DecisionRecord[] {
    return this.deps.history.recent(limit);
  }

  stop(): void {
    this.timers.cancelAll();
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled action ${JSON.stringify(value)}`);
}
