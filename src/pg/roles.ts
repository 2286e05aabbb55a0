// Role changes on a running server: write dugong.conf, reload, prove the new values are live; promote; follow an upstream.
import { DugongError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import type { PostgresClient } from './client.js';
import type { PostgresController } from './controller.js';
import { pollUntil } from './poll.js';
import type { CatchUpStatus } from './replication.js';
import { expectedShownSettings, ROLE_CONF_FILE, VERIFIED_SETTINGS, type RoleSettings, type UpstreamSpec } from './role-settings.js';
import type { WalReceiverStatus } from './wal-receiver.js';
import type { WalPositions } from './wal.js';

/** One peer's server as the runner drives it. */
export interface PostgresNode {
  readonly controller: PostgresController;
  readonly client: PostgresClient;
  readonly clock: Clock;
}

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

const DEFAULT_APPLY_TIMEOUT_MS = 10_000;
const DEFAULT_INTERVAL_MS = 50;
const PROBE_TIMEOUT_MS = 2_000;

/**
 * No restart: every setting the driver changes at run time (writes, sync name, primary_conninfo in PG 13+)
 * is reloadable. Fails with CONFIG_INVALID if the server rejects or overrides a line of dugong.conf, and with
 * PG_TIMEOUT naming the mismatch if the live values do not follow. With writes off on a primary, transactions
 * opened before the reload are ended too: once this resolves, nothing can commit unless a client overrides
 * default_transaction_read_only in its own session.
 */
export async function applyRoleSettings(node: PostgresNode, settings: RoleSettings, options: WaitOptions = {}): Promise<void> {
  const { client } = node;
  await node.controller.writeRoleSettings(settings);
  const problems = await client.confFileProblems(ROLE_CONF_FILE);
  if (problems.length > 0) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `PostgreSQL does not apply ${ROLE_CONF_FILE}: ${problems.join('; ')}`, { problems });
  }
  await client.reload();
  const expected = expectedShownSettings(settings);
  await pollUntil(pollSpec(node, 'role settings to take effect after reload', options), async (remainingMs) => {
    const live = await client.settings(VERIFIED_SETTINGS, { timeoutMs: Math.min(remainingMs, PROBE_TIMEOUT_MS) });
    const wrong = [...expected].filter(([name, value]) => live.get(name) !== value);
    const reason = wrong.map(([name, value]) => `${name} is ${JSON.stringify(live.get(name))}, want ${JSON.stringify(value)}`).join('; ');
    return { done: wrong.length === 0, value: undefined, reason };
  });
  if (!settings.writable) await client.terminateOpenTransactions({ timeoutMs: options.timeoutMs ?? DEFAULT_APPLY_TIMEOUT_MS });
}

/** Waits until the standby's walreceiver streams from `upstream` (after a reload that changed primary_conninfo). */
export async function waitForUpstream(node: PostgresNode, upstream: UpstreamSpec, options: WaitOptions = {}): Promise<WalReceiverStatus> {
  const what = `streaming from ${upstream.host}:${upstream.port}`;
  return pollUntil(pollSpec(node, what, options), async (remainingMs) => {
    const receiver = await node.client.walReceiver({ timeoutMs: Math.min(remainingMs, PROBE_TIMEOUT_MS) });
    const done = receiver !== null && receiver.status === 'streaming' && receiver.senderHost === upstream.host && receiver.senderPort === upstream.port;
    const reason = receiver === null ? 'no walreceiver' : `walreceiver ${receiver.status} from ${receiver.senderHost}:${receiver.senderPort}`;
    return { done, value: receiver as WalReceiverStatus, reason };
  });
}

export interface PromoteOptions {
  /** application_name of the new sync standby: commits wait for it from the first moment (rule 6 of docs/protocol.md). */
  readonly syncStandbyName: string | null;
  readonly timeoutMs?: number;
  readonly extra?: RoleSettings['extra'];
}

/**
 * Read-only with the new sync named *before* pg_promote(), so there is no moment in which the new primary
 * acknowledges a commit nobody else has. primary_conninfo is cleared first: WAL already received is replayed
 * by the promotion anyway. Writes stay off until the caller sees the sync caught up (waitForCatchUp) and
 * applies { writable: true }.
 */
export async function promoteToPrimary(node: PostgresNode, options: PromoteOptions): Promise<WalPositions> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_APPLY_TIMEOUT_MS;
  const settings: RoleSettings = { writable: false, syncStandbyName: options.syncStandbyName, upstream: null, extra: options.extra };
  await applyRoleSettings(node, settings, { timeoutMs });
  await node.client.promote({ timeoutMs });
  const positions = await node.client.walPositions();
  if (positions.inRecovery) {
    throw new DugongError('DUGONG_ERR_PG_QUERY_FAILED', 'pg_promote() returned but the server is still in recovery', { positions });
  }
  return positions;
}

/** Rule 6's gate: resolves when the named standby streams and has flushed all it was sent. */
export async function waitForCatchUp(node: PostgresNode, applicationName: string, options: WaitOptions = {}): Promise<CatchUpStatus> {
  return pollUntil(pollSpec(node, `standby ${applicationName} to catch up`, options), async (remainingMs) => {
    const status = await node.client.catchUp(applicationName, { timeoutMs: Math.min(remainingMs, PROBE_TIMEOUT_MS) });
    return { done: status.caughtUp, value: status, reason: status.reason };
  });
}

function pollSpec(node: PostgresNode, what: string, options: WaitOptions): Parameters<typeof pollUntil>[0] {
  return { clock: node.clock, what, timeoutMs: options.timeoutMs ?? DEFAULT_APPLY_TIMEOUT_MS, intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS };
}
