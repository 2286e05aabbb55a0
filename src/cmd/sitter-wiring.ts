// Builds a sitter's parts from its validated config: the only place real adapters are put together.
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { createZooKeeperCoordinator, type Coordinator, type ZkCredential } from '../coord/index.js';
import { FsmConfigSchema, decide, initialSitterState } from '../fsm/index.js';
import { createPostgresClient, createPostgresController, runAsForServer, type HbaSpec, type PostgresController, type RunAs } from '../pg/index.js';
import type { Clock } from '../platform/clock.js';
import { peerIdOf, type SitterConfig } from '../schema/sitter-config.js';
import type { Peer } from '../schema/index.js';
import { CoordEffects } from '../runtime/coord-effects.js';
import { DecisionHistory } from '../runtime/history.js';
import { PeerDirectory } from '../runtime/peer-directory.js';
import { PgEffects } from '../runtime/pg-effects.js';
import { Runner } from '../runtime/runner.js';
import { createStoragePreparer, type StorageSpec } from '../runtime/storage.js';
import { StorageHealthEffects } from '../runtime/storage-health.js';
import { trackedCopier, type DataCopier } from '../runtime/data-copier.js';
import { PgCopier } from '../runtime/pg-copier.js';
import { RestoreStatus } from '../runtime/restore-status.js';
import { ZfsCopier } from '../runtime/zfs-copier.js';
import { createZfs, type Zfs } from '../zfs/index.js';

// A healthy dataset answers the check in milliseconds; the stall budget (fsm storageStallBudgetMs) counts the misses.
const STORAGE_CHECK_DEADLINE_MS = 2_000;

export interface SitterParts {
  readonly self: Peer;
  readonly runner: Runner;
  readonly coordinator: Coordinator;
  readonly coordEffects: CoordEffects;
  readonly pgEffects: PgEffects;
  readonly controller: PostgresController;
  readonly peers: PeerDirectory;
}

export function selfPeer(config: SitterConfig): Peer {
  return {
    id: peerIdOf(config),
    ip: config.ip,
    zoneId: config.zoneId,
    pgUrl: `tcp://${config.postgres.dbUser}@${config.ip}:${config.postgres.port}/postgres`,
    backupUrl: `http://${config.ip}:${config.backupServer.port}`,
  };
}

function storageSpec(config: SitterConfig, zfs: Zfs): StorageSpec {
  if (config.storage.kind === 'directory') return { kind: 'directory' };
  return { kind: 'zfs', dataset: config.storage.dataset, mountpoint: config.storage.mountpoint, zfs };
}

function hbaSpec(config: SitterConfig): HbaSpec {
  const networks = ['127.0.0.1/32', `${config.ip}${config.ip.includes(':') ? '/128' : '/32'}`, ...config.postgres.trustedNetworks];
  return { authMethod: config.postgres.authMethod, replicationUser: config.postgres.replicationUser, replicationNetworks: networks, clientNetworks: networks };
}

interface CopierParts {
  readonly config: SitterConfig;
  readonly controller: PostgresController;
  readonly runAs: RunAs | undefined;
  readonly zfs: Zfs;
  /** The shard's backup secret, read and checked with the config; undefined when none is configured. */
  readonly backupSecret: string | undefined;
  readonly status: RestoreStatus;
  readonly clock: Clock;
  readonly log: Logger;
}

/** ZFS streams when the peer has a dataset and the shard secret; PostgreSQL's own tools otherwise. */
async function buildCopier(parts: CopierParts): Promise<DataCopier> {
  const { config, controller, status, clock } = parts;
  const log = parts.log.child({ component: 'copier' });
  if (config.storage.kind === 'zfs' && parts.backupSecret !== undefined) {
    log.info({ dataset: config.storage.dataset }, 'new and rebuilt data will be copied as ZFS streams from backup servers');
    return new ZfsCopier({
      zfs: parts.zfs, dataset: config.storage.dataset, mountpoint: config.storage.mountpoint, controller, runAs: parts.runAs,
      secret: parts.backupSecret, replicationUser: config.postgres.replicationUser, status, clock, log,
      retry: { attempts: config.restoreAttempts, initialDelayMs: 1_000, maxDelayMs: 30_000 },
    });
  }
  log.info({ storage: config.storage.kind }, 'new data will be copied with pg_basebackup and rebuilt with pg_rewind (no ZFS backup secret configured)');
  return new PgCopier({ controller, replicationUser: config.postgres.replicationUser, status, clock, log, copyTimeoutMs: 3_600_000 });
}

/** The secrets read with the config: the backup secret and the ZooKeeper credential (undefined: none / insecureOpenAcl). */
export interface SitterSecrets {
  readonly backupSecret: string | undefined;
  readonly zkCredential: ZkCredential | undefined;
}

export async function buildSitter(
  config: SitterConfig, secrets: SitterSecrets, clock: Clock, log: Logger, onExit: (code: number, reason: string) => void,
): Promise<SitterParts> {
  const { backupSecret, zkCredential } = secrets;
  const self = selfPeer(config);
  const pgConfig = config.postgres;
  const runAs = await runAsForServer(pgConfig.osUser);
  const pgLog = log.child({ component: 'postgres' });
  const controller = createPostgresController({
    dataDir: pgConfig.dataDir, port: pgConfig.port, socketDir: pgConfig.socketDir,
    logFile: pgConfig.logFile ?? join(dirname(pgConfig.dataDir), 'postgresql.log'),
    listenAddresses: config.ip === '127.0.0.1' ? '127.0.0.1' : `127.0.0.1,${config.ip}`,
    binDir: pgConfig.binDir, runAs, superuser: pgConfig.dbUser, clock, log: pgLog,
  });
  const client = createPostgresClient({ target: controller.localTarget, clock, log: pgLog, defaultTimeoutMs: pgConfig.queryTimeoutMs });
  const coordinator = createZooKeeperCoordinator({
    connectString: config.zookeeper.connectString, shardPath: config.shardPath, sessionTimeoutMs: config.zookeeper.sessionTimeoutMs,
    callTimeoutMs: config.zookeeper.callTimeoutMs, clock, log: log.child({ component: 'coord' }),
    access: zkCredential !== undefined ? { kind: 'digest', credential: zkCredential } : { kind: 'open' },
  });
  const peers = new PeerDirectory();
  peers.learn([self]);
  const zfs = createZfs({ clock, log: log.child({ component: 'zfs' }) });
  const restore = new RestoreStatus(clock);
  // The probe reports to the runner, which does not exist yet when the effects are built.
  const probeSink: { runner?: Runner } = {};
  const pgEffects = new PgEffects({
    self, controller, client, peers, clock, log: pgLog,
    storage: createStoragePreparer(storageSpec(config, zfs), pgConfig.dataDir, runAs, log.child({ component: 'storage' })),
    copier: trackedCopier(await buildCopier({ config, controller, runAs, zfs, backupSecret, status: restore, clock, log }), restore),
    replicationUser: pgConfig.replicationUser, hba: hbaSpec(config), startTimeoutMs: pgConfig.startTimeoutMs, stopTimeoutMs: pgConfig.stopTimeoutMs,
    queryTimeoutMs: pgConfig.healthTimeoutMs, onProbe: (result) => probeSink.runner?.notePgHealth(result.health),
  });
  const coordEffects = new CoordEffects(coordinator, self, log.child({ component: 'coord' }));
  const fsmConfig = FsmConfigSchema.parse({
    probeIntervalMs: pgConfig.healthIntervalMs, pgRestartBudgetMs: pgConfig.crashRestartBudgetMs,
    storageStallBudgetMs: config.storageStallBudgetMs,
    oneNodeWriteMode: config.oneNodeWriteMode, rebuildPolicy: config.rebuild,
  });
  const storageHealth = new StorageHealthEffects({
    directory: pgConfig.dataDir, runAs, deadlineMs: STORAGE_CHECK_DEADLINE_MS, clock, log: log.child({ component: 'storage-health' }),
  });
  const runner = new Runner({
    decide, initialState: initialSitterState(self, fsmConfig), coord: coordEffects, pg: pgEffects, clock, storage: storageHealth,
    log: log.child({ component: 'decision' }), history: new DecisionHistory(config.historySize), restore, onExit,
  });
  probeSink.runner = runner;
  return { self, runner, coordinator, coordEffects, pgEffects, controller, peers };
}
