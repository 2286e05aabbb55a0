// Virtual-time constants of the simulated world and the state-machine settings the simulated sitters use.
import type { FsmConfig } from '../../src/fsm/index.js';

export interface SimTiming {
  readonly sessionTimeoutMs: number;
  /** One way, client ↔ coordinator. */
  readonly coordLatencyMs: readonly [number, number];
  readonly watchDelayMs: readonly [number, number];
  /** How often a readCoordination answer lags behind the session's watch events (see coordinator.requestRead), and by how much. */
  readonly readLagChance: number;
  readonly readLagMs: readonly [number, number];
  /** How long a request waits on a lost connection before the client reports it failed. */
  readonly coordOpTimeoutMs: number;
  /** How long a client takes to notice its connection is gone. */
  readonly disconnectNoticeMs: readonly [number, number];
  readonly pgStartMs: readonly [number, number];
  readonly pgStopMs: readonly [number, number];
  readonly pgPromoteMs: readonly [number, number];
  readonly pgReconfigureMs: readonly [number, number];
  readonly pgQueryMs: readonly [number, number];
  /** A storage check that answers; one on stalled storage fails at its deadline. */
  readonly storageCheckMs: readonly [number, number];
  readonly storageDeadlineMs: number;
  readonly replicationRoundMs: number;
  readonly replicationChunk: number;
  /** A slow standby receives only every Nth round, a few records at a time. */
  readonly slowEveryRounds: number;
  readonly slowChunk: number;
  readonly replayChunk: number;
  readonly commitEveryMs: readonly [number, number];
}

export const DEFAULT_TIMING: SimTiming = {
  sessionTimeoutMs: 3000,
  coordLatencyMs: [1, 12],
  watchDelayMs: [1, 40],
  readLagChance: 0.25,
  readLagMs: [5, 80],
  coordOpTimeoutMs: 1000,
  disconnectNoticeMs: [30, 300],
  pgStartMs: [40, 250],
  pgStopMs: [10, 80],
  pgPromoteMs: [10, 80],
  pgReconfigureMs: [3, 25],
  pgQueryMs: [1, 8],
  storageCheckMs: [1, 10],
  storageDeadlineMs: 1000,
  replicationRoundMs: 25,
  replicationChunk: 16,
  slowEveryRounds: 8,
  slowChunk: 2,
  replayChunk: 24,
  commitEveryMs: [15, 60],
};

export const SIM_FSM_CONFIG: FsmConfig = {
  probeIntervalMs: 500,
  catchUpPollMs: 100,
  pgRestartBudgetMs: 2000,
  giveUpRetryMs: 8000,
  handoverTimeoutMs: 3000,
  oneNodeWriteMode: false,
  rebuildPolicy: 'manual',
  rebuildRetryMs: 5000,
  storageStallBudgetMs: 2000,
  // Every probe tick checks the storage, as before the interval existed: the seeds' schedules (and the first seeds
  // that catch each broken variant) stay as they were; test/unit/fsm-storage.test.ts covers the interval.
  storageCheckIntervalMs: 1,
};

/** Virtual wall clock start (2025-01-01T00:00:00Z); promote expiry times are ISO strings relative to it. */
export const SIM_EPOCH_MS = 1_735_689_600_000;
