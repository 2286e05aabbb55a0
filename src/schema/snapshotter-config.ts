// The snapshotter's configuration file (`dugong-snapshotter -f snapshotter.json`), validated once at start-up.
import { z } from 'zod';
import { DatasetNameSchema } from './sitter-config.js';

const positiveMs = z.number().int().positive();

export const SnapshotterConfigSchema = z
  .object({
    /** The peer's own dataset (the one the sitter's PostgreSQL lives on). */
    dataset: DatasetNameSchema,
    /** The sitter's status API health check: a snapshot is taken only while it answers 200. */
    pingUrl: z.string().regex(/^https?:\/\/[^\s/]+(:\d{1,5})?\/\S*$/, 'must be an http(s) URL like "http://127.0.0.1:5433/ping"'),
    pingTimeoutMs: positiveMs.default(5_000),
    /** How often a snapshot is taken (Manatee: hourly). At least one second: names are epoch milliseconds. */
    periodMs: z.number().int().min(1_000).default(3_600_000),
    /** How many of Dugong's own snapshots are kept (the newest ones); hand-made snapshots are never touched. */
    keep: z.number().int().min(1).max(10_000).default(24),
    zfsBinary: z.string().min(1).default('zfs'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  })
  .strict();

export type SnapshotterConfig = z.output<typeof SnapshotterConfigSchema>;
