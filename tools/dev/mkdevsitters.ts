// Writes devconfs/: configs for a 3-peer dev shard on this host (ports step by 10), its ZooKeeper credential and a ZooKeeper config.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { SitterConfigSchema, type SitterConfig } from '../../src/schema/sitter-config.js';

export interface DevShardLayout {
  readonly root: string;
  readonly ip: string;
  readonly zkPort: number;
  readonly pool: string;
  readonly peers: number;
  readonly shardPath: string;
}

/** The shard's ZooKeeper credential: every sitter's zookeeper.authFile, and `dugong-adm --auth-file` for changes. */
export function zkAuthFileOf(layout: DevShardLayout): string {
  return join(layout.root, 'zk-auth');
}

/**
 * Kept when it exists: the shard's znodes are writable only by the credential they were created with, so a new
 * one would lock the dev shard out of its own data. Made private again either way (the sitters refuse it otherwise).
 */
function writeZkAuthFile(layout: DevShardLayout): void {
  const path = zkAuthFileOf(layout);
  if (!existsSync(path)) writeFileSync(path, `dugong:${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function sitterConfigFor(layout: DevShardLayout, index: number): SitterConfig {
  const step = 10 * index;
  const raw = {
    shardPath: layout.shardPath,
    ip: layout.ip,
    zoneId: `sitter${index + 1}`,
    zookeeper: { connectString: `${layout.ip}:${layout.zkPort}`, sessionTimeoutMs: 6000, authFile: zkAuthFileOf(layout) },
    postgres: {
      dataDir: join(layout.root, 'datasets', `peer${index + 1}`, 'data'),
      port: 5432 + step,
      socketDir: join(layout.root, 'run'),
      // Passwords and TLS for the dev shard are not built yet (issue 15, items 1 and 6): trust, explicitly, on loopback.
      authMethod: 'trust',
    },
    storage: { kind: 'zfs', dataset: `${layout.pool}/peer${index + 1}`, mountpoint: join(layout.root, 'datasets', `peer${index + 1}`) },
    statusApi: { host: layout.ip, port: 5433 + step },
    backupServer: { port: 10002 + step, secretFile: join(layout.root, 'backup.secret') },
    rebuild: 'auto',
  };
  return SitterConfigSchema.parse(raw);
}

export function zooCfgFor(layout: DevShardLayout): string {
  return [
    'tickTime=1000',
    'minSessionTimeout=2000',
    'maxSessionTimeout=60000',
    `dataDir=${join(layout.root, 'zk', 'data')}`,
    `clientPort=${layout.zkPort}`,
    `clientPortAddress=${layout.ip}`,
    'admin.enableServer=false',
    '4lw.commands.whitelist=srvr,stat,ruok,mntr',
    'autopurge.purgeInterval=1',
    '',
  ].join('\n');
}

/** The backup server and snapshotter of one peer, sharing the shard's secret file. */
export function peerDaemonConfigsFor(layout: DevShardLayout, index: number): { backupserver: object; snapshotter: object } {
  const sitter = sitterConfigFor(layout, index);
  const dataset = sitter.storage.kind === 'zfs' ? sitter.storage.dataset : '';
  return {
    backupserver: {
      dataset, host: layout.ip, port: sitter.backupServer.port, secretFile: join(layout.root, 'backup.secret'), logLevel: 'info',
    },
    snapshotter: {
      dataset, pingUrl: `http://${sitter.statusApi.host}:${sitter.statusApi.port}/ping`, periodMs: 600_000, keep: 6, logLevel: 'info',
    },
  };
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function writeDevConfs(layout: DevShardLayout): void {
  mkdirSync(join(layout.root, 'zk', 'data'), { recursive: true });
  mkdirSync(join(layout.root, 'run'), { recursive: true, mode: 0o1777 });
  writeFileSync(join(layout.root, 'zk', 'zoo.cfg'), zooCfgFor(layout));
  // 48 hex characters pass the secret rule; the daemons refuse a secret file group or others can read, and
  // writeFileSync's mode applies only to a new file, so an older one is made private too.
  const secretFile = join(layout.root, 'backup.secret');
  writeFileSync(secretFile, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  chmodSync(secretFile, 0o600);
  writeZkAuthFile(layout);
  for (let index = 0; index < layout.peers; index += 1) {
    const dir = join(layout.root, `sitter${index + 1}`);
    mkdirSync(dir, { recursive: true });
    writeJson(join(dir, 'sitter.json'), sitterConfigFor(layout, index));
    const daemons = peerDaemonConfigsFor(layout, index);
    writeJson(join(dir, 'backupserver.json'), daemons.backupserver);
    writeJson(join(dir, 'snapshotter.json'), daemons.snapshotter);
  }
}

function main(argv: readonly string[]): void {
  const program = new Command('mkdevsitters')
    .description('Write devconfs/ for a dev shard of peers on this host (PostgreSQL 5432/5442/5452, status +1, backup 10002/10012/10022).')
    .option('--root <dir>', 'where to write the configs', 'devconfs')
    .option('--ip <address>', 'address every service binds to', '127.0.0.1')
    .option('--zk-port <port>', 'ZooKeeper client port', '2181')
    .option('--pool <name>', 'ZFS pool for the peer datasets', 'dugongdev')
    .option('--peers <count>', 'number of peers', '3')
    .option('--shard <path>', 'shard path in ZooKeeper', '/dugong/dev')
    .parse(argv);
  const options = program.opts<{ root: string; ip: string; zkPort: string; pool: string; peers: string; shard: string }>();
  const layout: DevShardLayout = {
    root: resolve(options.root),
    ip: options.ip,
    zkPort: Number(options.zkPort),
    pool: options.pool,
    peers: Number(options.peers),
    shardPath: options.shard,
  };
  writeDevConfs(layout);
  console.log(`wrote configs for ${layout.peers} peers (sitter, backup server, snapshotter) and ZooKeeper under ${layout.root}`);
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) main(process.argv);
