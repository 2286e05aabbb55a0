// The public surface of src/backup: backup server, restore client (with retries), snapshotter, and their wire types.
export { buildBackupServer, DEFAULT_SEND_LIMITS, type BackupServerOptions } from './server.js';
export type { SendJobLimits } from './send-jobs.js';
export { bearerHeader, loadSecret, secretMatches, type SecretSource } from './secret.js';
export {
  SnapshotEntrySchema,
  SnapshotListBodySchema,
  SendJobViewSchema,
  ErrorBodySchema,
  SEND_JOB_STATES,
  HEADER_ESTIMATED_BYTES,
  HEADER_FROM,
  HEADER_SEND_ID,
  HEADER_SNAPSHOT,
  type SendJobState,
  type SendJobView,
  type SnapshotEntry,
  type SnapshotListBody,
  type SendRequestBody,
  type ErrorBody,
} from './api.js';
export { restoreFromBackupServer, type RestoreOptions, type RestoreProgress, type RestoreResult } from './restore-client.js';
export { restoreWithRetry, type RetriedRestoreResult, type RetryingRestoreOptions } from './restore-retry.js';
export { isRetryableRestoreError, restoreFailureOf, RESTORE_FAILURE_KINDS, type RestoreFailure, type RestoreFailureKind } from './restore-errors.js';
export { listRemoteSnapshots, getRemoteSend, type BackupEndpoint } from './restore-http.js';
export { retryWithBackoff, backoffDelayMs, type AttemptFailure, type BackoffPolicy, type RetryOptions } from './retry.js';
export { newestCommonSnapshot } from './common-snapshot.js';
export { planSnapshots, retention, checkIntervalMs, type SnapshotPlan, type SnapshotPlanInput, type SnapshotPolicy, type SkipReason } from './snapshot-plan.js';
export { runSnapshotRound, type SnapshotRoundDeps, type SnapshotRoundReport, type DestroyFailure } from './snapshot-apply.js';
export { startSnapshotter, type Snapshotter, type SnapshotterOptions } from './snapshotter.js';
export { httpHealthProbe, type HealthProbe, type HealthResult, type HttpHealthProbeOptions } from './health-probe.js';
