// The chaos shard's peers: config files, and each peer's sitter and backup server started inside the peer's own namespace.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatusSnapshot } from '../../src/http/status-snapshot.js';
import { SitterConfigSchema, peerIdOf, type SitterConfig } from '../../src/schema/sitter-config.js';
import { isAlive, spawnTracked, stopPid } from '../helpers/processes.js';
import { writeZkAuthFile } from '../helpers/zk-auth.js';
import { inNamespace, SUBNET_CIDR } from './netns.js';

export const PG_PORT = 5432;
const BACKUP_PORT = 10002;
const BACKUP_SECRET = 'chaos-shared-secret-0123456789-abcdefghij';

export interface ChaosPeer {
  readonly index: number;
  readonly name: string;
  readonly ns: string;
  readonly ip: string;
  readonly id: string;
  readonly config: SitterConfig;
  readonly configPath: string;
  readonly backupConfigPath: string;
  readonly logPath: string;
  /** The peer's ZFS dataset; null with directory storage. */
  readonly dataset: string | null;
  sitterPid: number | undefined;
  backupPid: number | undefined;
}

export interface PeerSetup {
  readonly scratch: string;
  readonly mountRoot: string;
  /** The ZFS pool; null for plain directories (no disk-full fault then). */
  readonly pool: string | null;
  readonly shardPath: string;
  readonly zkConnect: string;
  readonly sessionTimeoutMs: number;
  readonly rebuild: RebuildPolicy;
}

/** manual: the chaos tool rebuilds deposed peers as an operator would; auto: the sitters copy from the primary's backup server. */
export type RebuildPolicy = 'manual' | 'auto';

/** The shard's ZooKeeper credential (mode 600), written once per run and shared by every peer and `dugong-adm reap`. */
function zkAuthFile(scratch: string): string {
  const path = join(scratch, 'zk-auth');
  if (!existsSync(path)) writeZkAuthFile(path);
  return path;
}

/** Writes peer `index`'s sitter and backup-server configs; every peer uses the same ports, each in its own namespace. */
export function preparePeer(setup: PeerSetup, index: number, ns: string, ip: string): ChaosPeer {
  const name = `peer${index + 1}`;
  const mountpoint = join(setup.mountRoot, name);
  // Unix sockets share one filesystem: one directory per peer, or the three postmasters would fight over .s.PGSQL.5432.
  const socketDir = join(setup.scratch, `${name}-sock`);
  mkdirSync(socketDir, { recursive: true });
  // mkdir's mode is masked by the umask; PostgreSQL (user postgres) must create its socket and lock file here.
  chmodSync(socketDir, 0o777);
  const dataset = setup.pool === null ? null : `${setup.pool}/${name}`;
  const raw = {
    shardPath: setup.shardPath, ip, zoneId: name,
    zookeeper: { connectString: setup.zkConnect, sessionTimeoutMs: setup.sessionTimeoutMs, callTimeoutMs: 2_000, authFile: zkAuthFile(setup.scratch) },
    postgres: {
      dataDir: join(mountpoint, 'data'), port: PG_PORT, socketDir, logFile: join(setup.scratch, `${name}-pg.log`), crashRestartBudgetMs: 2_000, healthIntervalMs: 500,
      // Peers live on their own addresses in the chaos subnet: they connect and stream across it.
      trustedNetworks: [SUBNET_CIDR],
      // Explicit until passwords are built (issue 15, item 1): the schema's default is scram-sha-256.
      authMethod: 'trust',
    },
    storage: dataset === null ? { kind: 'directory' } : { kind: 'zfs', dataset, mountpoint },
    statusApi: { host: ip, port: PG_PORT + 1 },
    // The secret lets the sitters restore from a backup server (ZFS stream) instead of pg_basebackup.
    backupServer: setup.rebuild === 'auto' ? { port: BACKUP_PORT, secret: BACKUP_SECRET } : { port: BACKUP_PORT },
    rebuild: setup.rebuild,
    logLevel: 'info',
  };
  const config = SitterConfigSchema.parse(raw);
  const configPath = join(setup.scratch, `${name}.json`);
  writeFileSync(configPath, JSON.stringify(raw, null, 2));
  const backupConfigPath = join(setup.scratch, `${name}-backup.json`);
  writeFileSync(backupConfigPath, JSON.stringify({ dataset: dataset ?? `none/${name}`, host: ip, port: BACKUP_PORT, secret: BACKUP_SECRET, logLevel: 'warn' }, null, 2));
  return {
    index, name, ns, ip, id: peerIdOf(config), config, configPath, backupConfigPath, dataset,
    logPath: join(setup.scratch, `${name}-sitter.log`), sitterPid: undefined, backupPid: undefined,
  };
}

/** Runs `codeDir/src/cmd/<entry>.ts` inside the peer's namespace; setpriv makes it die with the runner. */
function spawnInPeer(peer: ChaosPeer, codeDir: string, label: string, entry: string, configPath: string, logPath: string): number {
  const out = openSync(logPath, 'a');
  try {
    const node = ['--pdeathsig', 'KILL', '--', process.execPath, '--max-semi-space-size=1', '--import', 'tsx', join(codeDir, 'src/cmd', `${entry}.ts`), '-f', configPath];
    const [command, args] = inNamespace(peer.ns, '/usr/bin/setpriv', node);
    const child = spawnTracked(`${label} ${peer.name}`, command, args, { cwd: codeDir, stdio: ['ignore', out, out] });
    if (child.pid === undefined) throw new Error(`could not start ${label} of ${peer.name}`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

export function startSitter(peer: ChaosPeer, codeDir: string): void {
  peer.sitterPid = spawnInPeer(peer, codeDir, 'sitter', 'sitter', peer.configPath, peer.logPath);
}

export function startBackupServer(peer: ChaosPeer, codeDir: string, logDir: string): void {
  peer.backupPid = spawnInPeer(peer, codeDir, 'backupserver', 'backupserver', peer.backupConfigPath, join(logDir, `${peer.name}-backup.log`));
}

export function sitterAlive(peer: ChaosPeer): boolean {
  return peer.sitterPid !== undefined && isAlive(peer.sitterPid);
}

/** The postmaster PID from postmaster.pid, if it names a live process. */
export function postgresPid(peer: ChaosPeer): number | undefined {
  try {
    const pid = Number(readFileSync(join(peer.config.postgres.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The postmaster and its children (backends, walreceiver, walsenders): SIGSTOP must freeze all of them. */
export function postgresTree(peer: ChaosPeer): number[] {
  const root = postgresPid(peer);
  if (root === undefined) return [];
  const pids = [root];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === root) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

export async function stopSitter(peer: ChaosPeer, signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
  if (peer.sitterPid !== undefined) await stopPid(peer.sitterPid, signal, graceMs);
  peer.sitterPid = undefined;
}

/** Stops the sitter, its PostgreSQL and the backup server, by PID. */
export async function stopPeer(peer: ChaosPeer): Promise<void> {
  await stopSitter(peer, 'SIGKILL');
  const pg = postgresPid(peer);
  if (pg !== undefined) await stopPid(pg, 'SIGQUIT', 10_000);
  if (peer.backupPid !== undefined) await stopPid(peer.backupPid, 'SIGKILL', 5_000);
  peer.backupPid = undefined;
}

export async function peerStatus(peer: ChaosPeer): Promise<StatusSnapshot | undefined> {
  try {
    const response = await fetch(`http://${peer.ip}:${PG_PORT + 1}/state`, { signal: AbortSignal.timeout(1_500) });
    return (await response.json()) as StatusSnapshot;
  } catch {
    return undefined;
  }
}

