// The backup server's configuration file (`dugong-backupserver -f backupserver.json`), validated once at start-up.
import { z } from 'zod';
import { BACKUP_SERVER_LIMITS, HEADERS_WITHIN_REQUEST, httpLimitsShape } from './http-limits.js';
import { SecretSchema } from './secret-strength.js';
import { DatasetNameSchema } from './sitter-config.js';

const positiveMs = z.number().int().positive();

export const BackupServerConfigSchema = z
  .object({
    /** The only dataset this server ever sends snapshots of. */
    dataset: DatasetNameSchema,
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(10002),
    /** The shard's shared secret, inline; or `secretFile`, a file holding it (surrounding whitespace ignored). */
    secret: SecretSchema.optional(),
    secretFile: z.string().regex(/^\//, 'must be an absolute path').optional(),
    /** Sends running at once (queued ones count too); more are refused with 429 and a Retry-After. */
    maxConcurrentSends: z.number().int().min(1).max(64).default(2),
    /** How long a finished job's progress stays queryable. */
    jobTtlMs: positiveMs.default(3_600_000),
    /** How long a created job waits for its stream to be fetched before it is dropped (and frees its slot). */
    claimTimeoutMs: positiveMs.default(60_000),
    zfsBinary: z.string().min(1).default('zfs'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    /** Slow or idle clients: timeouts on receiving a request (never on sending a stream) and a connection cap. */
    ...httpLimitsShape(BACKUP_SERVER_LIMITS),
  })
  .strict()
  .refine(HEADERS_WITHIN_REQUEST.check, HEADERS_WITHIN_REQUEST.params)
  .refine((config) => (config.secret === undefined) !== (config.secretFile === undefined), {
    message: 'exactly one of "secret" and "secretFile" must be given',
    path: ['secret'],
  });

export type BackupServerConfig = z.output<typeof BackupServerConfigSchema>;
