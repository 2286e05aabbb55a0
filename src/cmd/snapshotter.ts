// dugong-snapshotter: periodic, health-gated snapshots of this peer's dataset with retention (composition root).
import { httpHealthProbe, startSnapshotter, type Snapshotter } from '../backup/index.js';
import { createLogger, type Logger } from '../log.js';
import { systemClock } from '../platform/clock.js';
import { loadConfigFile } from '../platform/config-file.js';
import { SnapshotterConfigSchema, type SnapshotterConfig } from '../schema/snapshotter-config.js';
import { createZfs, parseDatasetName, type DatasetName } from '../zfs/index.js';
import { errorMessage } from '../errors.js';
import { readConfigOrExit } from './daemon-config.js';

function readSettings(argv: readonly string[]): Promise<{ config: SnapshotterConfig; dataset: DatasetName }> {
  const command = { name: 'dugong-snapshotter', description: "Snapshot this peer's dataset periodically while PostgreSQL is healthy, keeping the newest ones.", what: 'snapshotter' };
  return readConfigOrExit(command, argv, async (file) => {
    const config = await loadConfigFile(file, SnapshotterConfigSchema);
    return { config, dataset: parseDatasetName(config.dataset) };
  });
}

function handleSignals(snapshotter: Snapshotter, log: Logger): void {
  let requests = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    requests += 1;
    if (requests > 1) process.exit(1);
    log.info({ signal }, 'shutdown requested: finishing the current round');
    void snapshotter.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  const { config, dataset } = await readSettings(process.argv);
  const log = createLogger({ level: config.logLevel, name: 'dugong-snapshotter' });
  const snapshotter = startSnapshotter({
    dataset,
    zfs: createZfs({ zfsBinary: config.zfsBinary, clock: systemClock, log: log.child({ component: 'zfs' }) }),
    probe: httpHealthProbe({ url: config.pingUrl, timeoutMs: config.pingTimeoutMs, clock: systemClock }),
    policy: { periodMs: config.periodMs, keep: config.keep },
    clock: systemClock,
    log,
  });
  handleSignals(snapshotter, log);
}

main().catch((error: unknown) => {
  process.stderr.write(`dugong-snapshotter: ${errorMessage(error)}\n`);
  process.exit(1);
});
