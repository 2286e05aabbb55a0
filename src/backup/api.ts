// The backup server's wire format (shared by the server and the restore client): bodies, headers and their schemas.
import { z } from 'zod';

export const SEND_JOB_STATES = ['queued', 'sending', 'done', 'failed', 'aborted'] as const;
export type SendJobState = (typeof SEND_JOB_STATES)[number];

/** Headers of `GET /sends/:id/stream`. */
export const HEADER_SEND_ID = 'x-dugong-send-id';
export const HEADER_SNAPSHOT = 'x-dugong-snapshot';
export const HEADER_FROM = 'x-dugong-from';
export const HEADER_ESTIMATED_BYTES = 'x-dugong-estimated-bytes';

const isoTime = z.string().min(1);
const snapshotName = z.string().regex(/^[1-9][0-9]{12}$/);

export const SnapshotEntrySchema = z.object({
  name: snapshotName,
  /** ISO 8601, from the `creation` property (whole seconds). */
  createdAt: isoTime,
  referencedBytes: z.number().int().nonnegative(),
  usedBytes: z.number().int().nonnegative(),
});
export type SnapshotEntry = z.infer<typeof SnapshotEntrySchema>;

export const SnapshotListBodySchema = z.object({
  dataset: z.string(),
  /** Oldest first. */
  snapshots: z.array(SnapshotEntrySchema),
});
export type SnapshotListBody = z.infer<typeof SnapshotListBodySchema>;

/** The body of `POST /sends`: both optional; `snapshot` defaults to the newest, no `from` means a full stream. */
export const SendRequestBodySchema = z
  .object({
    snapshot: z.string().max(64).optional(),
    from: z.string().max(64).optional(),
    /** Take a snapshot now and send it: a copy as recent as possible, so the receiver needs little WAL to catch up. */
    fresh: z.boolean().optional(),
  })
  .strict();
export type SendRequestBody = z.infer<typeof SendRequestBodySchema>;

export const SendJobViewSchema = z.object({
  id: z.string(),
  snapshot: snapshotName,
  from: snapshotName.nullable(),
  state: z.enum(SEND_JOB_STATES),
  bytesSent: z.number().int().nonnegative(),
  estimatedBytes: z.number().int().nonnegative(),
  /** `dry-run` (zfs send -nvP) or `referenced` (an upper bound where the CLI has no dry run, e.g. zfs-fuse). */
  estimateMethod: z.enum(['dry-run', 'referenced']),
  createdAt: isoTime,
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  error: z.string().nullable(),
});
export type SendJobView = z.infer<typeof SendJobViewSchema>;

export const ErrorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  problems: z.array(z.string()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
