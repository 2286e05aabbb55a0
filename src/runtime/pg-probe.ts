// One probe of the local PostgreSQL: the facts the state machine needs (PgStatus) and the health the status API shows.
import type { DataRole, PgStatus } from '../fsm/index.js';
import type { PgHealthSnapshot } from '../http/status-snapshot.js';
import type { PostgresClient, PostgresController } from '../pg/index.js';
import { lsnDistanceBytes, ZERO_LSN, type Lsn } from '../schema/index.js';
import { errorMessage } from '../errors.js';
import { dataRoleOf } from './data-dir.js';
import { syncNameFromSetting, upstreamFromConninfo, type PeerDirectory } from './peer-directory.js';

export interface ProbeResult {
  readonly status: PgStatus;
  readonly health: PgHealthSnapshot;
}

export interface ProbeDeps {
  readonly controller: PostgresController;
  readonly client: PostgresClient;
  readonly peers: PeerDirectory;
  readonly timeoutMs: number;
  readonly nowIso: () => string;
}

/**
 * As before the checks ran in a helper: a data directory the probe cannot look into counts as holding no data
 * ('none'), now also when the storage does not answer within the probe's budget. The probe never rejects: its
 * callers queue further work behind it.
 */
function probedDataRole(deps: ProbeDeps): Promise<DataRole> {
  return dataRoleOf(deps.controller, deps.timeoutMs).catch((): DataRole => 'none');
}

async function stoppedStatus(deps: ProbeDeps, error: string): Promise<ProbeResult> {
  const dataRole = await probedDataRole(deps);
  let walLsn: Lsn = ZERO_LSN;
  if (dataRole !== 'none') {
    // A stopped server's last checkpoint is the best lower bound of what it holds.
    walLsn = await deps.controller.controlData({ timeoutMs: deps.timeoutMs }).then((c) => c.checkpointLsn ?? ZERO_LSN, () => ZERO_LSN);
  }
  const status: PgStatus = { running: false, dataRole, writable: false, syncStandby: null, upstream: null, streaming: false, walLsn, replayLsn: walLsn };
  const health: PgHealthSnapshot = {
    running: deps.controller.running() !== null, healthy: false, error, lastCheck: deps.nowIso(), inRecovery: null,
    writable: false, currentLsn: null, receiveLsn: null, replayLsn: null, lagBytes: null,
    streaming: null, walReceiver: null, notStreamingSince: null,
  };
  return { status, health };
}

export async function probePostgres(deps: ProbeDeps): Promise<ProbeResult> {
  if (deps.controller.running() === null) return stoppedStatus(deps, 'PostgreSQL is not running');
  const call = { timeoutMs: deps.timeoutMs };
  try {
    // One connection per probe: the probe runs every second on every peer, so its cost is the sitter's idle cost.
    const { positions, settings, receiver } = await deps.client.snapshot(['default_transaction_read_only', 'synchronous_standby_names', 'primary_conninfo'], call);
    const syncName = syncNameFromSetting(settings.get('synchronous_standby_names'));
    const upstream = upstreamFromConninfo(settings.get('primary_conninfo'));
    const writable = !positions.inRecovery && settings.get('default_transaction_read_only') === 'off';
    const walLsn = (positions.inRecovery ? positions.received ?? positions.replayed : positions.current) ?? ZERO_LSN;
    const replayLsn = (positions.inRecovery ? positions.replayed : positions.current) ?? walLsn;
    const streaming = receiver !== null && receiver.status === 'streaming';
    const status: PgStatus = {
      running: true,
      // A running server says what its data is: PostgreSQL removes standby.signal when it leaves recovery. Reading the
      // files would cost a helper process every second (they are read as postgres, under a deadline).
      dataRole: positions.inRecovery ? 'standby' : 'primary',
      writable,
      syncStandby: syncName === null ? null : deps.peers.peerForApplicationName(syncName),
      upstream: upstream === null ? null : deps.peers.peerForHostPort(upstream.host, upstream.port),
      streaming,
      walLsn,
      replayLsn,
    };
    const lagBytes = positions.inRecovery && streaming ? Number(lsnDistanceBytes(walLsn, replayLsn)) : null;
    const health: PgHealthSnapshot = {
      running: true, healthy: true, error: null, lastCheck: deps.nowIso(), inRecovery: positions.inRecovery, writable,
      currentLsn: positions.current, receiveLsn: positions.received, replayLsn: positions.replayed, lagBytes,
      // The runner carries notStreamingSince from one probe to the next.
      streaming: positions.inRecovery ? streaming : null, walReceiver: receiver?.status ?? null, notStreamingSince: null,
    };
    return { status, health };
  } catch (error) {
    return stoppedStatus(deps, errorMessage(error)).then((r) => ({ ...r, status: { ...r.status, running: false } }));
  }
}
