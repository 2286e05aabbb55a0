// What the data directory is, read from its files: empty, a primary's, or a standby's (standby.signal).
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataRole } from '../fsm/index.js';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function dataRoleOf(dataDir: string): Promise<DataRole> {
  if (!(await exists(join(dataDir, 'PG_VERSION')))) return 'none';
  return (await exists(join(dataDir, 'standby.signal'))) ? 'standby' : 'primary';
}
