// The state machine's settings: timeouts in milliseconds, singleton mode and the rebuild policy.
import { z } from 'zod';

export const FsmConfigSchema = z.object({
  /** How often PostgreSQL is probed (health, role, WAL positions) even when nothing happens. */
  probeIntervalMs: z.number().int().positive().default(1000),
  /** How often replication progress is polled while waiting for a sync to catch up or flush. */
  catchUpPollMs: z.number().int().positive().default(200),
  /** How long a primary's PostgreSQL may stay down before the primary gives up its registration. */
  pgRestartBudgetMs: z.number().int().positive().default(5000),
  /** After giving up, how long to wait for the sync to take over before registering again. */
  giveUpRetryMs: z.number().int().positive().default(30_000),
  /** Graceful shutdown of a primary: the longest wait for the sync to flush everything. */
  handoverTimeoutMs: z.number().int().positive().default(10_000),
  /** One-node-write (singleton) mode: only ever entered when configured, never by accident. */
  oneNodeWriteMode: z.boolean().default(false),
  /** What a deposed peer does: wait for an operator's `dugong-adm rebuild` (manual), or rebuild itself at once (auto). */
  rebuildPolicy: z.enum(['manual', 'auto']).default('manual'),
  /** After a failed rebuild (its transfer already retried with backoff), how long before the next one starts. */
  rebuildRetryMs: z.number().int().positive().default(30_000),
  /** Storage that has not answered a check for this long is stalled: a primary gives up, a standby leaves the election. */
  storageStallBudgetMs: z.number().int().positive().default(5000),
  /** While the storage answers, how often it is checked again (each check is a write, fsync and read in a child process). */
  storageCheckIntervalMs: z.number().int().positive().default(2000),
}).strict();
export type FsmConfig = z.infer<typeof FsmConfigSchema>;

export const DEFAULT_FSM_CONFIG: FsmConfig = FsmConfigSchema.parse({});
