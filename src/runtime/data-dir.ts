// What the data directory is, read from its files (as the server's user): empty, a primary's, or a standby's (standby.signal).
import { join } from 'node:path';
import type { DataRole } from '../fsm/index.js';
import { existAsUser, type PostgresController } from '../pg/index.js';

/** One helper process for both checks (~4 ms): the probe asks this every second. */
export async function dataRoleOf(controller: Pick<PostgresController, 'dataDir' | 'runAs'>, timeoutMs?: number): Promise<DataRole> {
  const paths = [join(controller.dataDir, 'PG_VERSION'), join(controller.dataDir, 'standby.signal')];
  const [initialised, standby] = await existAsUser(paths, { runAs: controller.runAs, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  if (initialised !== true) return 'none';
  return standby === true ? 'standby' : 'primary';
}
