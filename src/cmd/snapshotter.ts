// dugong-snapshotter: periodic, health-gated snapshots of this peer's dataset with retention (composition root).
import { Command } from 'commander';
import { httpHealthProbe, startSnapshotter, type Snapshotter } from '../backup/index.js';
import { errorMessage } from '../errors.js';
import { createLogger, type Logger } from '../log.js';
import { systemClock } from '../platform/clock.js';
import { loadConfigFile } from '../platform/config-file.js';
import { SnapshotterConfigSchema, type SnapshotterConfig } from '../schema/snapshotter-config.js';
import { createZfs, parseDatasetName, type DatasetName } from '../zfs/index.js';

const EXIT_CONFIG_INVALID = 2;

async function readSettings(argv: readonly string[]): Promise<{ config: SnapshotterConfig; dataset: DatasetName }> {
  const program = new Command('dugong-snapshotter')
    .description("Snapshot this peer's dataset periodically while PostgreSQL is healthy, keeping the newest ones.")
    .requiredOption('-f, --file <path>', 'snapshotter configuration file (JSON)')
    .parse(argv as string[]);
  const { file } = program.opts<{ file: string }>();
  try {
    const config = await loadConfigFile(file, SnapshotterConfigSchema);
    return { config, dataset: parseDatasetName(config.dataset) };
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    process.exit(EXIT_CONFIG_INVALID);
  }
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
