// The sitter's configuration file (`dugong-sitter -f sitter.json`), validated once at start-up.
import { z } from 'zod';
import { HEADERS_WITHIN_REQUEST, STATUS_API_LIMITS, httpLimitsShape } from './http-limits.js';
import { IpAddressSchema, NetworkSchema } from './network.js';
import { SecretSchema } from './secret-strength.js';

const port = z.number().int().min(1).max(65535);
const positiveMs = z.number().int().positive();
const absolutePath = z.string().regex(/^\//, 'must be an absolute path');
/** ZFS dataset names: pool/child..., no snapshot part, no path tricks. */
export const DatasetNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*(\/[A-Za-z0-9][A-Za-z0-9_.:-]*)*$/, 'must be a ZFS dataset name like "pool/dugong/peer1"');

export const ZooKeeperConfigSchema = z.object({
  connectString: z
    .string()
    .regex(/^[^,\s:]+:\d{1,5}(,[^,\s:]+:\d{1,5})*$/, 'must be "host:port[,host:port...]"'),
  sessionTimeoutMs: positiveMs.default(6_000),
  callTimeoutMs: positiveMs.default(5_000),
  /** A file holding `user:password` (mode 600): the shard's ZooKeeper identity; its znodes are writable only by it. */
  authFile: absolutePath.optional(),
  /** Run without ZooKeeper authentication: every znode world-writable. Only ever set on purpose. */
  insecureOpenAcl: z.boolean().default(false),
}).strict();

/** Secure by default: a credential, unless the open ACLs are asked for explicitly (never both). */
function requireZkAuth(zk: z.output<typeof ZooKeeperConfigSchema>, ctx: z.RefinementCtx): void {
  if (zk.authFile === undefined && !zk.insecureOpenAcl) {
    ctx.addIssue({ code: 'custom', path: ['authFile'], message: 'required: a file holding "user:password", the shard\'s ZooKeeper identity (or "insecureOpenAcl": true to run without ZooKeeper ACLs)' });
  }
  if (zk.authFile !== undefined && zk.insecureOpenAcl) {
    ctx.addIssue({ code: 'custom', path: ['insecureOpenAcl'], message: 'give "authFile" or "insecureOpenAcl": true, not both' });
  }
}

export const PostgresConfigSchema = z.object({
  binDir: absolutePath.default('/usr/lib/postgresql/15/bin'),
  dataDir: absolutePath,
  port: port.default(5432),
  socketDir: absolutePath.default('/tmp'),
  /** PostgreSQL's own log; default: postgresql.log beside the data directory. */
  logFile: absolutePath.optional(),
  /** The operating-system user PostgreSQL runs as; PostgreSQL refuses to run as root. */
  osUser: z.string().min(1).default('postgres'),
  dbUser: z.string().min(1).default('postgres'),
  replicationUser: z.string().min(1).default('postgres'),
  /**
   * Networks (CIDRs) allowed to connect and to stream WAL, written to pg_hba.conf at every start: list the shard's
   * peers and the applications. The peer's own address and loopback are always allowed.
   */
  trustedNetworks: z.array(NetworkSchema).default([]),
  /**
   * pg_hba.conf method for every rule. scram-sha-256 by default (secure by default): it needs passwords on the roles
   * and a libpq passfile for the sitter. trust lets anyone who reaches a listed network in without a password; it is
   * only ever an explicit choice, and the sitter says so loudly at every start.
   */
  authMethod: z.enum(['trust', 'scram-sha-256', 'md5']).default('scram-sha-256'),
  startTimeoutMs: positiveMs.default(60_000),
  stopTimeoutMs: positiveMs.default(30_000),
  healthIntervalMs: positiveMs.default(1_000),
  healthTimeoutMs: positiveMs.default(2_000),
  queryTimeoutMs: positiveMs.default(5_000),
  /** How long a crashed PostgreSQL on the primary may take to come back before the peer gives up its registration. */
  crashRestartBudgetMs: positiveMs.default(3_000),
}).strict();

export const StorageConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('zfs'), dataset: DatasetNameSchema, mountpoint: absolutePath }).strict(),
  z.object({ kind: z.literal('directory') }).strict(),
]);

/** Where the status API listens, and the limits that keep slow or idle clients from tying it up. */
export const StatusApiConfigSchema = z
  .object({ host: z.string().min(1).default('127.0.0.1'), port: port.optional(), ...httpLimitsShape(STATUS_API_LIMITS) })
  .strict()
  .refine(HEADERS_WITHIN_REQUEST.check, HEADERS_WITHIN_REQUEST.params);

export const SitterConfigSchema = z
  .object({
    shardPath: z.string().regex(/^(\/[A-Za-z0-9_.-]+)+$/, 'must be a ZooKeeper path like "/dugong/shard1"'),
    ip: IpAddressSchema,
    zoneId: z.string().min(1),
    zookeeper: ZooKeeperConfigSchema.superRefine(requireZkAuth),
    postgres: PostgresConfigSchema,
    storage: StorageConfigSchema,
    /**
     * How long the data directory's storage may fail its health check (a write, fsync and read under a 2 s deadline)
     * before this peer leaves the election: a primary gives up so its sync takes over, a standby stops being a candidate.
     */
    storageStallBudgetMs: z.number().int().min(1_000).default(5_000),
    statusApi: StatusApiConfigSchema.default({ host: '127.0.0.1', ...STATUS_API_LIMITS }),
    backupServer: z
      .object({
        port: port.default(10002),
        /**
         * The shard's shared backup secret (inline, or `secretFile`): with it and ZFS storage, new and rebuilt peers are
         * copied as ZFS streams from other peers' backup servers; without it, with pg_basebackup / pg_rewind.
         */
        secret: SecretSchema.optional(),
        secretFile: absolutePath.optional(),
      })
      .strict()
      .refine((b) => b.secret === undefined || b.secretFile === undefined, { message: 'give "secret" or "secretFile", not both', path: ['secret'] })
      .default({ port: 10002 }),
    /** Restores (ZFS streams) are retried this many times in all, with exponential backoff. */
    restoreAttempts: z.number().int().min(1).max(100).default(5),
    /** Singleton mode: a primary with no sync that accepts writes. Only ever set on purpose. */
    oneNodeWriteMode: z.boolean().default(false),
    rebuild: z.enum(['manual', 'auto']).default('manual'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    historySize: z.number().int().min(10).max(100_000).default(500),
  })
  .strict()
  .transform((config) => ({
    ...config,
    // Manatee's convention: the status API listens one port above PostgreSQL.
    statusApi: { ...config.statusApi, port: config.statusApi.port ?? config.postgres.port + 1 },
  }));

export type SitterConfig = z.output<typeof SitterConfigSchema>;

export function peerIdOf(config: Pick<SitterConfig, 'ip' | 'postgres' | 'backupServer'>): string {
  return `${config.ip}:${config.postgres.port}:${config.backupServer.port}`;
}
