// GET /snapshots: the served dataset's own Dugong snapshots, oldest first (hand-made ones are never listed or sent).
import type { FastifyInstance } from 'fastify';
import type { SnapshotInfo } from '../zfs/index.js';
import type { SnapshotEntry, SnapshotListBody } from './api.js';
import type { BackupServerContext } from './server-context.js';

export function snapshotEntry(info: SnapshotInfo): SnapshotEntry {
  return {
    name: info.snapshot,
    createdAt: new Date(info.creationEpochSeconds * 1000).toISOString(),
    referencedBytes: info.referencedBytes,
    usedBytes: info.usedBytes,
  };
}

export function registerSnapshotRoutes(app: FastifyInstance, ctx: BackupServerContext): void {
  app.get('/snapshots', async (): Promise<SnapshotListBody> => {
    const snapshots = await ctx.zfs.listSnapshots(ctx.dataset);
    return { dataset: ctx.dataset, snapshots: snapshots.map(snapshotEntry) };
  });
}
