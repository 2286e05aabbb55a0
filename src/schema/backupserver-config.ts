// The backup server's configuration file (`dugong-backupserver -f backupserver.json`), validated once at start-up.
import { z } from 'zod';
import { DatasetNameSchema } from './sitter-config.js';

const positiveMs = z.number().int().positive();
/** A shorter shared secret is guessable; the same rule applies to a secret read from `secretFile`. */
export const MIN_SECRET_LENGTH = 16;

export const BackupServerConfigSchema = z
  .object({
    /** The only dataset this server ever sends snapshots of. */
    dataset: DatasetNameSchema,
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).default(10002),
    /** The shard's shared secret, inline; or `secretFile`, a file holding it (surrounding whitespace ignored). */
    secret: z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters`).optional(),
    secretFile: z.string().regex(/^\//, 'must be an absolute path').optional(),
    /** Sends running at once (queued ones count too); more are refused with 429 and a Retry-After. */
    maxConcurrentSends: z.number().int().min(1).max(64).default(2),
    /** How long a finished job's progress stays queryable. */
    jobTtlMs: positiveMs.default(3_600_000),
    /** How long a created job waits for its stream to be fetched before it is dropped (and frees its slot). */
    claimTimeoutMs: positiveMs.default(60_000),
    zfsBinary: z.string().min(1).default('zfs'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  })
  .strict()
  .refine((config) => (config.secret === undefined) !== (config.secretFile === undefined), {
    message: 'exactly one of "secret" and "secretFile" must be given',
    path: ['secret'],
  });

export type BackupServerConfig = z.output<typeof BackupServerConfigSchema>;
