// The snapshotter loop: a round at start, then one every check interval, never two at once; stop waits for the last.
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { TimerHandle } from '../platform/clock.js';
import { runSnapshotRound, type SnapshotRoundDeps, type SnapshotRoundReport } from './snapshot-apply.js';
import { checkIntervalMs } from './snapshot-plan.js';

export interface SnapshotterOptions extends SnapshotRoundDeps {
  /** Called after every round that completed (tests and metrics). */
  readonly onRound?: (report: SnapshotRoundReport) => void;
}

export interface Snapshotter {
  /** Cancels the next round and waits for a running one to finish. */
  stop(): Promise<void>;
}

function reportRoundError(log: Logger, error: unknown): void {
  // zfs listing failed (pool busy, daemon restarting): the next round tries again.
  log.error({ err: errorMessage(error) }, 'snapshot round failed');
}

export function startSnapshotter(options: SnapshotterOptions): Snapshotter {
  const intervalMs = checkIntervalMs(options.policy.periodMs);
  let timer: TimerHandle | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const runOnce = async (): Promise<void> => {
    try {
      const report = await runSnapshotRound(options);
      options.onRound?.(report);
    } catch (error) {
      reportRoundError(options.log, error);
    }
  };
  const round = (): void => {
    timer = undefined;
    running = runOnce().finally(() => {
      if (!stopped) timer = options.clock.setTimer(intervalMs, round);
    });
  };
  options.log.info({ dataset: options.dataset, ...options.policy, checkIntervalMs: intervalMs }, 'snapshotter started');
  round();
  return {
    async stop() {
      stopped = true;
      timer?.cancel();
      await running;
    },
  };
}
