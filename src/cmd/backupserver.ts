// dugong-backupserver: serves zfs streams of this peer's dataset to peers that bootstrap or rebuild (composition root).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildBackupServer, loadSecret } from '../backup/index.js';
import { createLogger, type Logger } from '../log.js';
import { systemClock } from '../platform/clock.js';
import { loadConfigFile } from '../platform/config-file.js';
import { BackupServerConfigSchema, type BackupServerConfig } from '../schema/backupserver-config.js';
import { createZfs, parseDatasetName, type DatasetName } from '../zfs/index.js';
import { errorMessage } from '../errors.js';
import { readConfigOrExit } from './daemon-config.js';

interface Settings {
  readonly config: BackupServerConfig;
  readonly secret: string;
  readonly dataset: DatasetName;
}

function readSettings(argv: readonly string[]): Promise<Settings> {
  const command = { name: 'dugong-backupserver', description: "Serve zfs streams of this peer's dataset to the shard's peers.", what: 'backup server' };
  return readConfigOrExit(command, argv, async (file) => {
    const config = await loadConfigFile(file, BackupServerConfigSchema);
    return { config, secret: await loadSecret(config), dataset: parseDatasetName(config.dataset) };
  });
}

function handleSignals(server: FastifyInstance, log: Logger): void {
  let requests = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    requests += 1;
    if (requests > 1) process.exit(1);
    log.info({ signal }, 'shutdown requested: aborting running sends');
    void server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  const { config, secret, dataset } = await readSettings(process.argv);
  const log = createLogger({ level: config.logLevel, name: 'dugong-backupserver' });
  const zfs = createZfs({ zfsBinary: config.zfsBinary, clock: systemClock, log: log.child({ component: 'zfs' }) });
  if (!(await zfs.exists(dataset))) log.warn({ dataset }, 'the dataset does not exist (yet): requests get 404 until it does');
  const server = buildBackupServer({
    dataset,
    zfs,
    secret,
    logger: log.child({ component: 'backup-api' }),
    newJobId: randomUUID,
    clock: systemClock,
    limits: { maxConcurrentSends: config.maxConcurrentSends, jobTtlMs: config.jobTtlMs, claimTimeoutMs: config.claimTimeoutMs },
    httpLimits: config,
  });
  await server.listen({ host: config.host, port: config.port });
  handleSignals(server, log);
  log.info({ dataset, host: config.host, port: config.port, maxConcurrentSends: config.maxConcurrentSends }, 'backup server listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`dugong-backupserver: ${errorMessage(error)}\n`);
  process.exit(1);
});
