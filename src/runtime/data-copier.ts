// How a peer gets its data from another: the interface both storage kinds implement, and the progress wrapper.
import { errorMessage } from '../errors.js';
import type { Peer } from '../schema/index.js';
import type { RestoreStatus } from './restore-status.js';

export interface DataCopier {
  /** PostgreSQL is stopped and the data directory holds no cluster: fill it with a standby copy of `upstream`. */
  seed(upstream: Peer): Promise<void>;
  /**
   * PostgreSQL is stopped and the data may have diverged: keep it aside (never destroyed), replace it with a copy
   * of `source` and leave a standby data directory.
   */
  rebuild(source: Peer): Promise<void>;
}

/** Records begin, success and failure of every copy in `status`, whatever the storage kind. */
export function trackedCopier(inner: DataCopier, status: RestoreStatus): DataCopier {
  const track = async (kind: 'seed' | 'rebuild', peer: Peer, work: () => Promise<void>): Promise<void> => {
    status.begin(kind, peer.id);
    try {
      await work();
      status.finish();
    } catch (error) {
      status.fail(errorMessage(error));
      throw error;
    }
  };
  return {
    seed: (upstream) => track('seed', upstream, () => inner.seed(upstream)),
    rebuild: (source) => track('rebuild', source, () => inner.rebuild(source)),
  };
}
