// Copies data with PostgreSQL's own tools: pg_basebackup for a new peer, pg_rewind (then pg_basebackup) for a deposed one.
import { cp, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import type { PostgresController } from '../pg/index.js';
import type { Clock } from '../platform/clock.js';
import type { Peer } from '../schema/index.js';
import type { DataCopier } from './data-copier.js';
import { pgTargetOf } from './peer-directory.js';
import type { RestoreStatus } from './restore-status.js';

export interface PgCopierDeps {
  readonly controller: PostgresController;
  readonly replicationUser: string;
  readonly status: RestoreStatus;
  readonly clock: Clock;
  readonly log: Logger;
  readonly copyTimeoutMs: number;
}

export class PgCopier implements DataCopier {
  constructor(private readonly deps: PgCopierDeps) {}

  async seed(upstream: Peer): Promise<void> {
    this.deps.status.update({ method: 'pg_basebackup' });
    this.deps.log.info({ upstream: upstream.id }, 'copying the data directory from the upstream (pg_basebackup)');
    await this.basebackup(upstream);
  }

  /**
   * pg_rewind rewrites the diverged blocks in place, so the diverged WAL (the record of what only this peer wrote) is
   * copied aside first; if pg_rewind refuses, the whole directory is set aside and a base backup replaces it.
   */
  async rebuild(source: Peer): Promise<void> {
    const { controller, status, log } = this.deps;
    const keptWal = `${controller.dataDir}.diverged-${this.deps.clock.now()}-pg_wal`;
    await status.step('keep diverged WAL', () => cp(join(controller.dataDir, 'pg_wal'), keptWal, { recursive: true, preserveTimestamps: true }));
    status.update({ method: 'pg_rewind', keptAs: keptWal });
    try {
      const outcome = await status.step('pg_rewind', () => controller.rewindFrom(this.target(source), { timeoutMs: this.deps.copyTimeoutMs }));
      await controller.setStandbySignal(true);
      log.info({ source: source.id, keptWal, outcome }, 'rewound the diverged data directory with pg_rewind');
      return;
    } catch (error) {
      log.warn({ source: source.id, err: errorMessage(error) }, 'pg_rewind failed: setting the directory aside and copying it afresh');
    }
    const kept = `${controller.dataDir}.diverged-${this.deps.clock.now()}`;
    await rename(controller.dataDir, kept);
    status.update({ method: 'pg_basebackup', keptAs: kept });
    await this.basebackup(source);
  }

  private target(peer: Peer): ReturnType<typeof pgTargetOf> {
    return { ...pgTargetOf(peer), user: this.deps.replicationUser };
  }

  private async basebackup(source: Peer): Promise<void> {
    await this.deps.status.step('pg_basebackup', () => this.deps.controller.basebackupFrom(this.target(source), { timeoutMs: this.deps.copyTimeoutMs }));
    await this.deps.controller.setStandbySignal(true);
  }
}
