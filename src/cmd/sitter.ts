// dugong-sitter: runs the failover state machine beside one PostgreSQL peer (composition root).
import type { FastifyInstance } from 'fastify';
import { loadSecret } from '../backup/index.js';
import { loadZkCredential, type ZkCredential } from '../coord/index.js';
import { buildStatusServer } from '../http/status-server.js';
import { createLogger, type Logger } from '../log.js';
import { systemClock } from '../platform/clock.js';
import { loadConfigFile } from '../platform/config-file.js';
import { SitterConfigSchema, type SitterConfig } from '../schema/sitter-config.js';
import { errorMessage } from '../errors.js';
import { readConfigOrExit } from './daemon-config.js';
import { buildSitter, type SitterParts } from './sitter-wiring.js';

interface Settings {
  readonly config: SitterConfig;
  readonly backupSecret: string | undefined;
  readonly zkCredential: ZkCredential | undefined;
}

/** The config and the secrets it names: a weak or exposed secret is a config problem too (exit 2, nothing started). */
function readSettings(argv: readonly string[]): Promise<Settings> {
  const command = { name: 'dugong-sitter', description: 'Run the Dugong sitter for one PostgreSQL peer.', what: 'sitter' };
  return readConfigOrExit(command, argv, async (file) => {
    const config = await loadConfigFile(file, SitterConfigSchema);
    const { secret, secretFile } = config.backupServer;
    const backupSecret = secret === undefined && secretFile === undefined ? undefined : await loadSecret({ secret, secretFile });
    const { authFile } = config.zookeeper;
    const zkCredential = authFile === undefined ? undefined : await loadZkCredential(authFile);
    return { config, backupSecret, zkCredential };
  });
}

/** ZooKeeper may be down when the sitter starts: keep trying, PostgreSQL is not started without a cluster state. */
async function connectCoordinator(parts: SitterParts, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await parts.coordinator.start();
      return;
    } catch (error) {
      log.warn({ err: error, attempt }, 'cannot reach the coordination service yet; retrying');
      await systemClock.sleep(Math.min(5_000, 500 * attempt));
    }
  }
}

function handleSignals(parts: SitterParts, log: Logger, forceExit: () => void): void {
  let requests = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    requests += 1;
    if (requests > 1) {
      log.warn({ signal }, 'second shutdown signal: leaving at once');
      forceExit();
      return;
    }
    log.info({ signal }, 'shutdown requested');
    parts.runner.observe({ kind: 'shutdownRequested' });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  const { config, backupSecret, zkCredential } = await readSettings(process.argv);
  const log = createLogger({ level: config.logLevel, name: 'dugong-sitter' });
  if (config.postgres.authMethod === 'trust') {
    log.warn({ networks: config.postgres.trustedNetworks }, 'INSECURE: postgres.authMethod is trust: anyone who reaches loopback, this peer or a trusted network connects to PostgreSQL as any role without a password');
  }
  if (config.zookeeper.insecureOpenAcl) {
    log.warn({ shardPath: config.shardPath }, 'INSECURE: zookeeper.insecureOpenAcl is set: no ZooKeeper authentication, every znode of this shard is world-writable; anyone who reaches ZooKeeper can rewrite the cluster state');
  }
  // The state machine's exit action arrives through the runner, which needs this callback before it exists.
  const running: { parts?: SitterParts; server?: FastifyInstance } = {};
  const leave = async (code: number, reason: string): Promise<void> => {
    log.info({ code, reason }, 'sitter exiting');
    running.parts?.runner.stop();
    await Promise.allSettled([running.parts?.coordinator.close(), running.server?.close()]);
    if (code !== 0) await running.parts?.controller.stop('fast').catch(() => undefined);
    process.exit(code);
  };
  const built = await buildSitter(config, { backupSecret, zkCredential }, systemClock, log, (code, reason) => void leave(code, reason));
  running.parts = built;
  built.controller.onExit((exit) => {
    if (!exit.requested) {
      log.error({ exit }, 'PostgreSQL exited without being asked to');
      built.pgEffects.reportCrash((observation) => built.runner.observe(observation));
    }
  });
  const server = buildStatusServer({
    source: built.runner, logger: log.child({ component: 'status-api' }), limits: config.statusApi,
    onRebuildRequest: () => built.runner.observe({ kind: 'rebuildRequested' }),
  });
  running.server = server;
  await server.listen({ host: config.statusApi.host, port: config.statusApi.port });
  handleSignals(built, log, () => void leave(1, 'forced by a second signal'));
  built.coordEffects.subscribe(
    (observation) => built.runner.observe(observation),
    (list) => built.peers.learn(list.entries.map((entry) => entry.peer)),
    (read) => {
      if (read.kind === 'valid') built.peers.learn([read.state.primary, ...(read.state.sync === null ? [] : [read.state.sync]), ...read.state.async, ...read.state.deposed]);
    },
  );
  log.info({ id: built.self.id, shardPath: config.shardPath, statusApi: config.statusApi }, 'sitter starting');
  await connectCoordinator(built, log);
  built.runner.observe({ kind: 'start' });
}

main().catch((error: unknown) => {
  process.stderr.write(`dugong-sitter: ${errorMessage(error)}\n`);
  process.exit(1);
});
