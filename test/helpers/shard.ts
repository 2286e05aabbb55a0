// A real shard for integration tests: ZooKeeper, a ZFS pool and N sitter processes on free ports; everything stopped by PID.
import { openSync, closeSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { StatusSnapshot } from '../../src/http/status-snapshot.js';
import { SitterConfigSchema, type SitterConfig } from '../../src/schema/sitter-config.js';
import { freePort } from './ports.js';
import { isAlive, onEmergencyCleanup, spawnTracked, stopPid } from './processes.js';
import { createTestPool, type TestPool } from './zfs-pool.js';
import { startZooKeeper, type ZkEnsemble } from './zookeeper.js';
import { dugongCommand } from './dugong-command.js';
import { writeZkAuthFile } from './zk-auth.js';
import type { ZkCredential } from '../../src/coord/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ShardPeer {
  readonly name: string;
  readonly config: SitterConfig;
  readonly configPath: string;
  readonly logPath: string;
  readonly statusUrl: string;
  readonly pgPort: number;
  process: ChildProcess | undefined;
  /** The peer's backup server (ZFS storage with backup enabled), started with its sitter and left running. */
  backupProcess: ChildProcess | undefined;
  readonly backupConfigPath: string | undefined;
}

export interface ShardOptions {
  readonly peers?: number;
  readonly sessionTimeoutMs?: number;
  readonly zkServers?: 1 | 3;
  readonly storage?: 'zfs' | 'directory';
  /** Which sitter runs: 'source' (tsx, what is checked out) or 'dist' (the compiled build, the production code path). */
  readonly sitterEntry?: 'source' | 'dist';
  /**
   * Run a backup server beside each ZFS peer and give the sitters the shard secret, so that new and rebuilt peers
   * are copied as ZFS streams (default); false: pg_basebackup / pg_rewind.
   */
  readonly backup?: boolean;
  /** Adjusts each peer's raw config before validation. */
  readonly tweak?: (raw: Record<string, unknown>, index: number) => void;
}

export class TestShard {
  readonly peers: ShardPeer[] = [];
  // The sitters' PostgreSQL servers are their children, not ours: stop them too if this worker dies without teardown.
  private readonly forgetEmergency = onEmergencyCleanup(() => {
    for (const peer of this.peers) {
      const pid = this.postgresPid(peer);
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
    }
  });

  private constructor(
    readonly zk: ZkEnsemble,
    readonly pool: TestPool,
    readonly shardPath: string,
    private readonly options: Required<Omit<ShardOptions, 'tweak'>> & Pick<ShardOptions, 'tweak'>,
    /** `user:password`, mode 600: the sitters' zookeeper.authFile and dugong-adm's --auth-file. */
    readonly zkAuthFile: string,
    readonly zkCredential: ZkCredential,
  ) {}

  static async create(options: ShardOptions = {}): Promise<TestShard> {
    const full = { peers: 3, sessionTimeoutMs: 3_000, zkServers: 1 as const, storage: 'zfs' as const, sitterEntry: 'source' as const, backup: true, ...options };
    const zk = await startZooKeeper({ servers: full.zkServers, tickTimeMs: 500, minSessionTimeoutMs: 1_000 });
    let pool: TestPool;
    try {
      pool = await createTestPool({ sizeBytes: 1024 * 1024 * 1024, prefix: 'dgs' });
    } catch (error) {
      await zk.stop();
      throw error;
    }
    // The shard's ZooKeeper identity: every sitter (and adm mutation) authenticates; its znodes carry ACLs.
    const zkAuthFile = join(pool.scratch.path, 'zk-auth');
    const zkCredential = writeZkAuthFile(zkAuthFile);
    const shard = new TestShard(zk, pool, `/dugong/test-${pool.name}`, full, zkAuthFile, zkCredential);
    for (let index = 0; index < full.peers; index += 1) await shard.addPeer();
    return shard;
  }

  /** Writes the config of one more peer (not started). */
  async addPeer(): Promise<ShardPeer> {
    const index = this.peers.length;
    const name = `peer${index + 1}`;
    const [pgPort, backupPort, statusPort] = [await freePort(), await freePort(), await freePort()];
    const dir = join(this.pool.mountRoot, name);
    mkdirSync(dir, { recursive: true });
    const raw: Record<string, unknown> = {
      shardPath: this.shardPath,
      ip: '127.0.0.1',
      zoneId: name,
      zookeeper: { connectString: this.zk.connectString, sessionTimeoutMs: this.options.sessionTimeoutMs, callTimeoutMs: 2_000, authFile: this.zkAuthFile },
      postgres: { dataDir: join(dir, 'data'), port: pgPort, socketDir: this.pool.scratch.path, logFile: join(this.pool.scratch.path, `${name}-pg.log`), crashRestartBudgetMs: 2_000, healthIntervalMs: 500,
        // Explicit until passwords are built (issue 15, item 1): the schema's default is scram-sha-256.
        authMethod: 'trust' },
      storage: this.options.storage === 'zfs' ? { kind: 'zfs', dataset: `${this.pool.name}/${name}`, mountpoint: dir } : { kind: 'directory' },
      statusApi: { host: '127.0.0.1', port: statusPort },
      backupServer: { port: backupPort, ...(this.backupEnabled ? { secretFile: this.secretFile() } : {}) },
      logLevel: 'debug',
    };
    this.options.tweak?.(raw, index);
    const config = SitterConfigSchema.parse(raw);
    const configPath = join(this.pool.scratch.path, `${name}.json`);
    writeFileSync(configPath, JSON.stringify(raw, null, 2));
    const peer: ShardPeer = {
      name, config, configPath, logPath: join(this.pool.scratch.path, `${name}-sitter.log`),
      statusUrl: `http://127.0.0.1:${statusPort}`, pgPort, process: undefined, backupProcess: undefined,
      backupConfigPath: this.writeBackupConfig(name, config),
    };
    this.peers.push(peer);
    return peer;
  }

  private get backupEnabled(): boolean {
    return this.options.backup && this.options.storage === 'zfs';
  }

  private secretFile(): string {
    const path = join(this.pool.scratch.path, 'backup.secret');
    writeFileSync(path, 'test-shard-secret-0123456789-abcdefghij\n', { mode: 0o600 });
    return path;
  }

  private writeBackupConfig(name: string, config: SitterConfig): string | undefined {
    if (!this.backupEnabled || config.storage.kind !== 'zfs') return undefined;
    const path = join(this.pool.scratch.path, `${name}-backupserver.json`);
    const raw = { dataset: config.storage.dataset, host: '127.0.0.1', port: config.backupServer.port, secretFile: config.backupServer.secretFile, logLevel: 'debug' };
    writeFileSync(path, JSON.stringify(raw, null, 2));
    return path;
  }

  /** Starts the peer's backup server unless it runs already (a host that comes back runs it again too). */
  startBackupServer(peer: ShardPeer): void {
    if (peer.backupConfigPath === undefined || (peer.backupProcess?.pid !== undefined && isAlive(peer.backupProcess.pid))) return;
    const out = openSync(join(this.pool.scratch.path, `${peer.name}-backupserver.log`), 'a');
    const backupserver = dugongCommand('backupserver');
    peer.backupProcess = spawnTracked(`backupserver ${peer.name}`, backupserver.command, [...backupserver.args, '-f', peer.backupConfigPath], {
      cwd: ROOT,
      stdio: ['ignore', out, out],
    });
    closeSync(out);
  }

  peer(name: string): ShardPeer {
    const peer = this.peers.find((p) => p.name === name);
    if (peer === undefined) throw new Error(`no peer ${name}`);
    return peer;
  }

  /** Starts the sitter: as dugongCommand says by default (source, or tools/test's fresh build), or the production launcher. */
  start(peer: ShardPeer): void {
    this.startBackupServer(peer);
    const out = openSync(peer.logPath, 'a');
    const { command, args } = this.options.sitterEntry === 'dist' ? { command: join(ROOT, 'bin/dugong-sitter'), args: [] } : dugongCommand('sitter');
    peer.process = spawnTracked(`sitter ${peer.name}`, command, [...args, '-f', peer.configPath], {
      cwd: ROOT,
      stdio: ['ignore', out, out],
    });
    closeSync(out);
  }

  /** Starts a sitter and waits until its own election node is listed: registration order decides roles. */
  async startRegistered(peer: ShardPeer, timeoutMs = 60_000): Promise<void> {
    this.start(peer);
    const id = `${peer.config.ip}:${peer.pgPort}:${peer.config.backupServer.port}`;
    await this.waitFor(`${peer.name} to register`, (s) => s.get(peer.name)?.activePeers.some((p) => p.id === id) === true, timeoutMs);
  }

  /** Starts the peers one after another, each once the previous one registered, so the order is peer1, peer2, ... */
  async startAll(): Promise<void> {
    for (const peer of this.peers) await this.startRegistered(peer);
  }

  sitterPid(peer: ShardPeer): number {
    const pid = peer.process?.pid;
    if (pid === undefined) throw new Error(`${peer.name} has no sitter process`);
    return pid;
  }

  /** The postmaster PID from postmaster.pid, if the file names a live process. */
  postgresPid(peer: ShardPeer): number | undefined {
    try {
      const pid = Number(readFileSync(join(peer.config.postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  async status(peer: ShardPeer): Promise<StatusSnapshot | undefined> {
    try {
      const response = await fetch(`${peer.statusUrl}/state`, { signal: AbortSignal.timeout(1_000) });
      return (await response.json()) as StatusSnapshot;
    } catch {
      return undefined;
    }
  }

  async roles(): Promise<Record<string, string>> {
    const entries = await Promise.all(this.peers.map(async (p) => [p.name, (await this.status(p))?.role ?? 'down'] as const));
    return Object.fromEntries(entries);
  }

  /** Waits until `predicate` holds for the peers' snapshots; fails with the last roles seen. */
  async waitFor(what: string, predicate: (snapshots: ReadonlyMap<string, StatusSnapshot | undefined>) => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = new Map<string, StatusSnapshot | undefined>();
    while (Date.now() < deadline) {
      last = new Map(await Promise.all(this.peers.map(async (p) => [p.name, await this.status(p)] as const)));
      if (predicate(last)) return;
      await sleep(200);
    }
    const seen = [...last].map(([name, s]) => `${name}=${s?.role ?? 'down'}(gen ${s?.generation ?? '-'}, pg ${s?.pg.healthy ? 'ok' : 'down'}, writable ${s?.pg.writable}, waiting: ${s?.waitingReason ?? '-'})`);
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen.join('; ')}`);
  }

  /** Waits until the named peers hold exactly these roles with healthy PostgreSQL, and the primary accepts writes. */
  async waitForRoles(expected: Record<string, string>, timeoutMs = 60_000): Promise<void> {
    await this.waitFor(`roles ${JSON.stringify(expected)}`, (snapshots) =>
      Object.entries(expected).every(([name, role]) => {
        const s = snapshots.get(name);
        return s !== undefined && s.role === role && s.pg.healthy && (role !== 'primary' || s.pg.writable);
      }), timeoutMs);
  }

  /** Steps run by stop() once every process is gone and before the pool goes (e.g. unmounting a test's own mount). */
  readonly beforeDestroy: Array<() => Promise<void>> = [];

  /** Stops every sitter and every postgres of this shard by PID, then ZooKeeper and the pool. Idempotent. */
  async stop(): Promise<void> {
    await Promise.all(this.peers.map(async (peer) => {
      if (peer.process?.pid !== undefined) await stopPid(peer.process.pid, 'SIGKILL', 5_000);
      if (peer.backupProcess?.pid !== undefined) await stopPid(peer.backupProcess.pid, 'SIGKILL', 5_000);
      const pgPid = this.postgresPid(peer);
      if (pgPid !== undefined) await stopPid(pgPid, 'SIGQUIT', 10_000);
    }));
    for (const step of this.beforeDestroy.splice(0)) await step();
    await this.zk.stop();
    await this.pool.destroy();
    this.forgetEmergency();
  }
}
