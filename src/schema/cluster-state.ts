// The cluster state object stored at `<shardPath>/state`: roles, generation, initWal, freeze and promote requests.
import { z } from 'zod';
import { LsnSchema } from './lsn.js';
import { PeerSchema } from './peer.js';

/**
 * 2^40 generations is one per millisecond for 34 years: a larger one is corruption or an attack (one near
 * MAX_SAFE_INTEGER would stop counting), never history.
 */
export const MAX_GENERATION = 2 ** 40;
const GenerationSchema = z.number().int().nonnegative().max(MAX_GENERATION, `must be at most 2^40 (${MAX_GENERATION})`);

export const FreezeSchema = z.object({
  date: z.string().min(1),
  reason: z.string().min(1),
});
export type Freeze = z.infer<typeof FreezeSchema>;

export const PromoteRequestSchema = z
  .object({
    id: PeerSchema.shape.id,
    role: z.enum(['sync', 'async']),
    asyncIndex: z.number().int().nonnegative().optional(),
    generation: GenerationSchema,
    expireTime: z.string().datetime({ offset: true }),
  })
  .refine((p) => (p.role === 'async') === (p.asyncIndex !== undefined), {
    message: 'asyncIndex is required for role "async" and not allowed for role "sync"',
    path: ['asyncIndex'],
  });
export type PromoteRequest = z.infer<typeof PromoteRequestSchema>;

export const ClusterStateSchema = z.object({
  generation: GenerationSchema,
  primary: PeerSchema,
  sync: PeerSchema.nullable(),
  async: z.array(PeerSchema),
  deposed: z.array(PeerSchema),
  initWal: LsnSchema,
  freeze: FreezeSchema.optional(),
  oneNodeWriteMode: z.boolean().optional(),
  promote: PromoteRequestSchema.optional(),
});
export type ClusterState = z.infer<typeof ClusterStateSchema>;

export type StateParseResult =
  | { readonly ok: true; readonly state: ClusterState }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Parses coordination data without throwing; every problem is reported with its path. */
export function parseClusterState(raw: unknown): StateParseResult {
  const result = ClusterStateSchema.safeParse(raw);
  if (result.success) return { ok: true, state: result.data };
  return { ok: false, problems: formatIssues(result.error.issues) };
}

/** `path: message` per problem; an unknown key is named by its own full path (`postgres.authmethod`), one line each. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const join = (path: readonly PropertyKey[]): string => (path.length === 0 ? '(root)' : path.map(String).join('.'));
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${join([...issue.path, key])}: unknown key`);
    return [`${join(issue.path)}: ${issue.message}`];
  });
}
