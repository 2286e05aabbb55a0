// Copies data as ZFS streams from another peer's backup server: a full stream for a new peer, incremental for a deposed one.
import { join } from 'node:path';
import type { Logger } from 'pino';
import { listRemoteSnapshots, newestCommonSnapshot, restoreWithRetry, type BackoffPolicy, type BackupEndpoint } from '../backup/index.js';
import { restoreError } from '../backup/restore-errors.js';
import { DugongError, errorMessage, isDugongError } from '../errors.js';
import { checkHealth, chownTree, hasEntriesAsUser, ownerOf, removeFileAsUser, type PostgresController, type RunAs } from '../pg/index.js';
import type { Clock } from '../platform/clock.js';
import type { Peer } from '../schema/index.js';
import { parseDatasetName, type DatasetName, type SnapshotName, type Zfs } from '../zfs/index.js';
import type { DataCopier } from './data-copier.js';
import { dataRoleOf } from './data-dir.js';
import { pgTargetOf } from './peer-directory.js';
import type { RestoreStatus } from './restore-status.js';

export interface ZfsCopierDeps {
  readonly zfs: Zfs;
  readonly dataset: string;
  readonly mountpoint: string;
  readonly controller: PostgresController;
  readonly runAs: RunAs | undefined;
  readonly secret: string;
  /** Used to check that the source's PostgreSQL runs before its dataset is snapshotted and copied. */
  readonly replicationUser: string;
  readonly retry: BackoffPolicy;
  readonly status: RestoreStatus;
  readonly clock: Clock;
  readonly log: Logger;
}

export class ZfsCopier implements DataCopier {
  private readonly dataset: DatasetName;

  constructor(private readonly deps: ZfsCopierDeps) {
    this.dataset = parseDatasetName(deps.dataset);
  }

  async seed(upstream: Peer): Promise<void> {
    const { status } = this.deps;
    await status.step('check source', () => this.requireRunning(upstream));
    await status.step('make room', () => this.makeRoom());
    await this.receive(upstream, undefined);
    await status.step('finish', () => this.finish());
  }

  /** Snapshot + isolate the diverged dataset, then an incremental from the newest shared snapshot, else a full stream. */
  async rebuild(source: Peer): Promise<void> {
    const { zfs, log, status } = this.deps;
    // Independent reads, at once: a rebuild's fixed cost is a chain of zfs and HTTP calls of 20–300 ms each.
    const [, local, remote] = await status.step('check source', () =>
      Promise.all([this.requireRunning(source), this.localSnapshots(), listRemoteSnapshots(this.endpoint(source))]));
    // No dataset: a rebuild that failed after isolating; the diverged data is already kept, only the copy is due.
    if (local !== undefined) {
      const common = newestCommonSnapshot(local, remote.snapshots.map((entry) => entry.name));
      const isolated = await status.step('isolate', async () => {
        await zfs.snapshot(this.dataset);
        return zfs.isolate(this.dataset);
      });
      status.update({ keptAs: isolated.dataset });
      log.info({ keptAs: isolated.dataset, common: common ?? null }, 'kept the diverged data as an isolated dataset');
      if (common !== undefined && (await this.tryIncremental(source, isolated.dataset, common))) return;
    }
    await this.receive(source, undefined);
    await status.step('finish', () => this.finish());
  }

  /** This peer's own snapshots, or undefined when it has no dataset. */
  private async localSnapshots(): Promise<SnapshotName[] | undefined> {
    try {
      return (await this.deps.zfs.listSnapshots(this.dataset)).map((info) => info.snapshot);
    } catch (error) {
      if (isDugongError(error, 'DUGONG_ERR_ZFS_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  /**
   * A snapshot of a running server's dataset is a crash-consistent copy; one taken while the source is still being
   * initialised, or is down, may be no cluster at all. Fail now; the state machine asks again later.
   */
  private async requireRunning(source: Peer): Promise<void> {
    const health = await checkHealth({ ...pgTargetOf(source), user: this.deps.replicationUser }, this.deps.clock, 5_000);
    if (!health.healthy) {
      throw new DugongError('DUGONG_ERR_PG_UNAVAILABLE', `${source.id}'s PostgreSQL does not answer (${health.error.message}): not copying its data yet`);
    }
  }

  private async tryIncremental(source: Peer, isolated: DatasetName, common: SnapshotName): Promise<boolean> {
    const { zfs, log, status } = this.deps;
    try {
      await status.step('clone', () => zfs.cloneAndPromote({ dataset: isolated, snapshot: common }, this.dataset));
      await this.receive(source, common);
      await status.step('finish', () => this.finish());
      return true;
    } catch (error) {
      log.warn({ common, err: errorMessage(error) }, 'incremental rebuild failed: falling back to a full stream');
      await this.undoClone(isolated);
      return false;
    }
  }

  /** Gives the shared snapshot back to the isolated dataset (promote reverses), then drops the clone. */
  private async undoClone(isolated: DatasetName): Promise<void> {
    const { zfs } = this.deps;
    if (!(await zfs.exists(this.dataset))) return;
    if ((await zfs.getProperty(isolated, 'origin')) !== undefined) await zfs.promote(isolated);
    await zfs.destroy(this.dataset, { recursive: true });
  }

  /** The empty dataset the sitter created is destroyed; anything with snapshots or files is isolated instead. */
  private async makeRoom(): Promise<void> {
    const { zfs, controller, log } = this.deps;
    if (!(await zfs.exists(this.dataset))) return;
    const snapshots = await zfs.listSnapshots(this.dataset);
    // Listed as the server's user: a failure to look is not taken for an empty directory (that would destroy it).
    const hasFiles = await hasEntriesAsUser(controller.dataDir, { runAs: controller.runAs });
    if (snapshots.length === 0 && !hasFiles) {
      await zfs.unmount(this.dataset);
      await zfs.destroy(this.dataset);
      log.info({ dataset: this.dataset }, 'removed the empty dataset to receive a copy in its place');
      return;
    }
    const isolated = await zfs.isolate(this.dataset);
    this.deps.status.update({ keptAs: isolated.dataset });
  }

  private async receive(source: Peer, from: SnapshotName | undefined): Promise<void> {
    const { status } = this.deps;
    status.update({ method: from === undefined ? 'zfs-full' : 'zfs-incremental', bytesReceived: 0, estimatedBytes: 0 });
    await status.step('stream', () => restoreWithRetry({
      backupUrl: source.backupUrl, secret: this.deps.secret, dataset: this.dataset, fresh: true,
      // A full stream goes into a dataset that is not there (makeRoom, isolate); an incremental into the new clone.
      targetExists: from !== undefined,
      ...(from === undefined ? {} : { from, force: true }),
      zfs: this.deps.zfs, clock: this.deps.clock, log: this.deps.log, retry: this.deps.retry,
      onProgress: (progress) => status.update({ bytesReceived: progress.bytesReceived, estimatedBytes: progress.estimatedBytes, attempt: progress.attempt }),
    }));
  }

  /** Mount where this peer expects it, and make the copy this peer's own standby data directory. */
  private async finish(): Promise<void> {
    const { zfs, controller } = this.deps;
    // A received or cloned dataset is new, so canmount is already its default (on): only the mountpoint is ours.
    await zfs.setProperty(this.dataset, 'mountpoint', this.deps.mountpoint);
    await zfs.mount(this.dataset);
    // First: until the copy is ours, the server's user may not even look inside it.
    await this.takeOwnership();
    if ((await dataRoleOf(controller)) === 'none') {
      const message = `the received dataset has no PostgreSQL data at ${controller.dataDir}: every peer must keep its data directory at the same place inside its dataset`;
      throw restoreError('protocol', message, { backupUrl: 'local' });
    }
    // The copy was taken from a running server: its pid file names a process of another host (or of the source).
    await removeFileAsUser(join(controller.dataDir, 'postmaster.pid'), { runAs: controller.runAs });
    await removeFileAsUser(join(controller.dataDir, 'postmaster.opts'), { runAs: controller.runAs });
    await controller.setStandbySignal(true);
  }

  /**
   * The copy's files carry the source host's uid and gid for PostgreSQL. When they are already ours (the usual case:
   * every peer runs the same image) a chown -R would only walk the whole tree for nothing.
   */
  private async takeOwnership(): Promise<void> {
    const { runAs, mountpoint, controller } = this.deps;
    if (runAs === undefined) return;
    // No data directory in the copy at all: the check after this says so, in its own words.
    const owner = await ownerOf(controller.dataDir).catch(() => null);
    if (owner === null || (owner.uid === runAs.uid && owner.gid === runAs.gid)) return;
    await chownTree(mountpoint, runAs);
  }

  private endpoint(peer: Peer): BackupEndpoint {
    return { backupUrl: peer.backupUrl, secret: this.deps.secret, clock: this.deps.clock, requestTimeoutMs: 30_000 };
  }
}
