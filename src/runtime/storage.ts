// Makes the peer's storage ready before PostgreSQL starts: the ZFS dataset mounted (or a plain directory), owned by postgres.
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { ensureOwnedDir, type RunAs } from '../pg/index.js';
import { parseDatasetName, type Zfs } from '../zfs/index.js';

export type StorageSpec =
  | { readonly kind: 'zfs'; readonly dataset: string; readonly mountpoint: string; readonly zfs: Zfs }
  | { readonly kind: 'directory' };

export interface StoragePreparer {
  /** Idempotent: creates and mounts what is missing; never touches existing data. */
  prepare(): Promise<void>;
}

async function prepareZfs(spec: Extract<StorageSpec, { kind: 'zfs' }>, log: Logger): Promise<void> {
  const dataset = parseDatasetName(spec.dataset);
  if (!(await spec.zfs.exists(dataset))) {
    log.info({ dataset, mountpoint: spec.mountpoint }, 'creating the peer dataset');
    await spec.zfs.createDataset(dataset, { mountpoint: spec.mountpoint, createParents: true });
  }
  if (!(await spec.zfs.isMounted(dataset))) await spec.zfs.mount(dataset);
}

export function createStoragePreparer(spec: StorageSpec, dataDir: string, runAs: RunAs | undefined, log: Logger): StoragePreparer {
  return {
    async prepare() {
      if (spec.kind === 'zfs') {
        await prepareZfs(spec, log);
        await ensureOwnedDir(spec.mountpoint, runAs, 0o755);
      } else {
        // The operator's directory: created, never handed to the server's user.
        await ensureOwnedDir(dirname(dataDir), undefined, 0o755);
      }
      // PostgreSQL insists on a 0700 data directory owned by its own user (chown -h, refusing a planted link).
      await ensureOwnedDir(dataDir, runAs, 0o700);
    },
  };
}
