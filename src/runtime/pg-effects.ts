// Executes the state machine's PostgreSQL actions one at a time and reports each result as an observation.
import type { Logger } from 'pino';
import type { Action, Observation, OpId, PgTarget, ReplicationStatus, StandbyProgress } from '../fsm/index.js';
import {
  applicationNameForPeer, applyRoleSettings, type HbaSpec, type PostgresClient, type PostgresController, type PostgresNode, type RoleSettings,
} from '../pg/index.js';
import type { Clock } from '../platform/clock.js';
import type { Peer } from '../schema/index.js';
import { errorMessage } from '../errors.js';
import { dataRoleOf } from './data-dir.js';
import { pgTargetOf, type PeerDirectory } from './peer-directory.js';
import { probePostgres, type ProbeResult } from './pg-probe.js';
import type { DataCopier } from './data-copier.js';
import type { StoragePreparer } from './storage.js';

export type PgAction = Extract<Action, { kind: 'startPg' | 'rebuildData' | 'stopPg' | 'promotePg' | 'reconfigurePg' | 'fetchPgStatus' | 'fetchReplicationStatus' }>;

export interface PgEffectsDeps {
  readonly self: Peer;
  readonly controller: PostgresController;
  readonly client: PostgresClient;
  readonly storage: StoragePreparer;
  /** Fills an empty peer, and rebuilds a deposed one, from another peer. */
  readonly copier: DataCopier;
  readonly peers: PeerDirectory;
  readonly clock: Clock;
  readonly log: Logger;
  readonly replicationUser: string;
  /** Who may connect: written to pg_hba.conf before every start (a copied data directory brings its source's). */
  readonly hba: HbaSpec;
  readonly startTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly queryTimeoutMs: number;
  /** Called with every probe, for the status API. */
  readonly onProbe: (result: ProbeResult) => void;
}

export class PgEffects {
  /** Serialises every PostgreSQL operation: never two at once, whatever the caller does. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PgEffectsDeps) {}

  run(action: PgAction, report: (observation: Observation) => void): void {
    this.queue = this.queue.then(async () => report(await this.execute(action)));
  }

  private async execute(action: PgAction): Promise<Observation> {
    switch (action.kind) {
      case 'fetchPgStatus':
        return { kind: 'pgStatus', opId: action.opId, status: (await this.probe()).status };
      case 'fetchReplicationStatus':
        return this.attempt(action.opId, async () => ({ kind: 'replicationStatus', opId: action.opId, status: await this.replication() }));
      case 'startPg':
        return this.attempt(action.opId, () => this.start(action.target).then(() => ok(action.opId)));
      case 'rebuildData':
        return this.attempt(action.opId, () => this.rebuild(action.source).then(() => ok(action.opId)));
      case 'stopPg':
        return this.attempt(action.opId, () => this.deps.controller.stop(action.mode, { timeoutMs: this.deps.stopTimeoutMs }).then(() => ok(action.opId)));
      case 'promotePg':
        return this.attempt(action.opId, () => this.deps.client.promote({ timeoutMs: this.deps.startTimeoutMs }).then(() => ok(action.opId)));
      case 'reconfigurePg':
        return this.attempt(action.opId, () => applyRoleSettings(this.node(), this.settingsFor(action.target)).then(() => ok(action.opId)));
      default:
        return assertNever(action);
    }
  }

  /** An unrequested postmaster exit: probe at once (in turn with other operations) and tell the state machine. */
  reportCrash(report: (observation: Observation) => void): void {
    this.queue = this.queue.then(async () => report({ kind: 'pgStatus', opId: null, status: (await this.probe()).status }));
  }

  async probe(): Promise<ProbeResult> {
    const { controller, client, peers, queryTimeoutMs } = this.deps;
    const result = await probePostgres({ controller, client, peers, timeoutMs: queryTimeoutMs, nowIso: () => new Date(this.deps.clock.now()).toISOString() });
    this.deps.onProbe(result);
    return result;
  }

  private async attempt(opId: OpId, work: () => Promise<Observation>): Promise<Observation> {
    try {
      return await work();
    } catch (error) {
      this.deps.log.warn({ err: error, opId }, 'PostgreSQL operation failed');
      return { kind: 'pgOpFailed', opId, error: errorMessage(error) };
    }
  }

  private node(): PostgresNode {
    return { controller: this.deps.controller, client: this.deps.client, clock: this.deps.clock };
  }

  private settingsFor(target: PgTarget): RoleSettings {
    if (target.role === 'primary') {
      const sync = target.syncStandby === null ? null : applicationNameForPeer(target.syncStandby);
      return { writable: target.writable, syncStandbyName: sync, upstream: null };
    }
    if (target.upstream === null) return { writable: false, syncStandbyName: null, upstream: null };
    const upstream = pgTargetOf(target.upstream);
    return {
      writable: false,
      syncStandbyName: null,
      upstream: { host: upstream.host, port: upstream.port, user: this.deps.replicationUser, applicationName: applicationNameForPeer(this.deps.self.id) },
    };
  }

  private async start(target: PgTarget): Promise<void> {
    const { controller, storage, log } = this.deps;
    await storage.prepare();
    // A postmaster of an earlier sitter run, or one that stopped answering, is stopped before we own the directory.
    if (controller.running() !== null) await controller.stop('immediate', { timeoutMs: this.deps.stopTimeoutMs });
    await controller.stopLeftover('fast', { timeoutMs: this.deps.stopTimeoutMs });
    const dataRole = await dataRoleOf(controller);
    if (dataRole === 'none') await this.initialise(target);
    await controller.writeRoleSettings(this.settingsFor(target));
    await controller.writeHba(this.deps.hba);
    log.info({ target, dataRole }, 'starting PostgreSQL');
    await controller.start({ timeoutMs: this.deps.startTimeoutMs });
  }

  /** An empty data directory becomes a new primary (initdb) or a copy of its upstream (base backup). */
  private async initialise(target: PgTarget): Promise<void> {
    const { controller, log } = this.deps;
    if (target.role === 'primary') {
      log.info({ dataDir: controller.dataDir }, 'initialising an empty data directory as a new primary');
      await controller.initdb();
      return;
    }
    if (target.upstream === null) throw new Error('the data directory is empty and there is no upstream to copy it from');
    log.info({ upstream: target.upstream.id }, 'the data directory is empty: copying it from the upstream');
    await this.deps.copier.seed(target.upstream);
  }

  /** The state machine only asks this of a deposed peer whose PostgreSQL it has stopped; make sure of it. */
  private async rebuild(source: Peer): Promise<void> {
    const { controller, storage } = this.deps;
    if (controller.running() !== null) throw new Error('PostgreSQL is running: a rebuild needs it stopped');
    await controller.stopLeftover('fast', { timeoutMs: this.deps.stopTimeoutMs });
    await this.deps.copier.rebuild(source);
    await storage.prepare();
  }

  private async replication(): Promise<ReplicationStatus> {
    const call = { timeoutMs: this.deps.queryTimeoutMs };
    const [positions, rows] = await Promise.all([this.deps.client.walPositions(call), this.deps.client.replication(call)]);
    if (positions.current === null) throw new Error('PostgreSQL is in recovery: it has no replication status of a primary');
    const standbys: StandbyProgress[] = [];
    for (const row of rows) {
      const id = this.deps.peers.peerForApplicationName(row.applicationName);
      if (id === null || row.sentLsn === null || row.flushLsn === null) continue;
      standbys.push({ id, sentLsn: row.sentLsn, flushLsn: row.flushLsn, replayLsn: row.replayLsn ?? row.flushLsn });
    }
    return { currentLsn: positions.current, standbys };
  }
}

function ok(opId: OpId): Observation {
  return { kind: 'pgOpOk', opId };
}

function assertNever(value: never): never {
  throw new Error(`unhandled PostgreSQL action ${JSON.stringify(value)}`);
}
