// Real PostgreSQL 15 servers for integration tests: a template data dir made once per file and copied per instance, every process tracked by PID.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/platform/clock.js';
import {
  applicationNameForPeer, applyRoleSettings, createPostgresClient, createPostgresController, runAsForServer, waitForUpstream,
  type PgConnectionTarget, type PostgresClient, type PostgresController, type PostgresNode, type RoleSettings, type RunAs,
  type SpawnFn, type UpstreamSpec,
} from '../../src/pg/index.js';
import { freePort } from './ports.js';
import { spawnTracked, stopAllTracked } from './processes.js';
import { makeScratchDir, type ScratchDir } from './scratch.js';

const run = promisify(execFile);

export interface PgInstance {
  readonly name: string;
  readonly dataDir: string;
  readonly port: number;
  readonly logFile: string;
  /** This server's application_name when it streams from an upstream. */
  readonly applicationName: string;
  readonly controller: PostgresController;
  readonly client: PostgresClient;
  readonly node: PostgresNode;
  /** TCP, as a peer or an application reaches it. */
  readonly tcpTarget: PgConnectionTarget;
  /** How a standby named `standbyApplicationName` streams from this server. */
  upstreamFor(standbyApplicationName: string): UpstreamSpec;
}

/**
 * Every postgres the tests start goes through spawnTracked, so teardown and the exit hook can stop it by PID.
 * Unlike the sitter's, it stays in the test's process group: a Ctrl-C (SIGINT = fast shutdown) reaches it too
 * when the interrupted worker gets no chance to run its exit hook.
 */
const trackedSpawn: SpawnFn = (command, args, options) => spawnTracked('postgres', command, args, { ...options, detached: false });

export class PgCluster {
  private readonly instances: PgInstance[] = [];
  private template: Promise<string> | null = null;

  private constructor(
    readonly scratch: ScratchDir,
    readonly runAs: RunAs | undefined,
  ) {}

  static async create(label: string): Promise<PgCluster> {
    return new PgCluster(await makeScratchDir(`pg-${label}`), await runAsForServer('postgres'));
  }

  /** An instance whose data directory is a copy of the file's template (initdb runs once per cluster); not started. */
  async fromTemplate(name: string): Promise<PgInstance> {
    const template = await this.templateDataDir();
    const instance = await this.instance(name);
    // cp -a keeps the postgres ownership and the 0700 mode PostgreSQL insists on.
    await run('cp', ['-a', template, instance.dataDir]);
    return instance;
  }

  /** A started, writable primary with no sync standby. */
  async primary(name: string, settings: Partial<RoleSettings> = {}): Promise<PgInstance> {
    const instance = await this.fromTemplate(name);
    await instance.controller.writeRoleSettings({ writable: true, syncStandbyName: null, upstream: null, ...settings });
    await instance.controller.start({ timeoutMs: 30_000 });
    return instance;
  }

  /** pg_basebackup of `upstream`, started in recovery and streaming from it. */
  async standby(name: string, upstream: PgInstance, settings: Partial<RoleSettings> = {}): Promise<PgInstance> {
    const instance = await this.instance(name);
    await instance.controller.basebackupFrom(upstream.tcpTarget, { timeoutMs: 60_000, fsync: false });
    const spec = upstream.upstreamFor(instance.applicationName);
    await instance.controller.writeRoleSettings({ writable: false, syncStandbyName: null, upstream: spec, ...settings });
    await instance.controller.setStandbySignal(true);
    await instance.controller.start({ timeoutMs: 30_000 });
    await waitForUpstream(instance.node, spec, { timeoutMs: 15_000 });
    return instance;
  }

  /** Names `standby` as `primary`'s synchronous standby (by reload). */
  async makeSync(primary: PgInstance, standby: PgInstance, writable = true): Promise<void> {
    await applyRoleSettings(primary.node, { writable, syncStandbyName: standby.applicationName, upstream: null });
  }

  /** Stops every server (also ones a test abandoned), then anything else tracked, then removes the files. */
  async cleanup(): Promise<void> {
    for (const instance of this.instances) {
      await instance.controller.stop('immediate', { timeoutMs: 5_000 }).catch(() => undefined);
      await instance.controller.stopLeftover('immediate', { timeoutMs: 5_000 }).catch(() => undefined);
    }
    await stopAllTracked();
    await this.scratch.remove();
  }

  private async instance(name: string): Promise<PgInstance> {
    const port = await freePort();
    const dataDir = join(this.scratch.path, name);
    const logFile = join(this.scratch.path, `${name}.log`);
    const clock = systemClock;
    const controller = createPostgresController({
      dataDir, port, logFile, socketDir: this.scratch.path, runAs: this.runAs, clock, log: silentLogger(), spawn: trackedSpawn,
    });
    const client = createPostgresClient({ target: controller.localTarget, clock, log: silentLogger() });
    const tcpTarget: PgConnectionTarget = { host: '127.0.0.1', port, user: 'postgres', database: 'postgres' };
    const instance: PgInstance = {
      name, dataDir, port, logFile, controller, client, tcpTarget,
      applicationName: applicationNameForPeer(`127.0.0.1:${port}:${port + 1}`),
      node: { controller, client, clock },
      upstreamFor: (applicationName) => ({ host: '127.0.0.1', port, user: 'postgres', applicationName }),
    };
    this.instances.push(instance);
    return instance;
  }

  private templateDataDir(): Promise<string> {
    this.template ??= (async () => {
      const instance = await this.instance('template');
      await instance.controller.initdb({ fsync: false });
      return instance.dataDir;
    })();
    return this.template;
  }
}
