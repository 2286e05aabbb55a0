// Starts and stops real ZooKeeper 3.8 servers (standalone or a 3-node ensemble) on free loopback ports for integration tests.
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { freePort } from './ports.js';
import { isAlive, spawnTracked, stopPid } from './processes.js';
import { makeScratchDir, type ScratchDir } from './scratch.js';

const CLASSPATH = '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar';
const JVM_FLAGS = ['-Xms32m', '-Xmx128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k'];
const MAIN_CLASS = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
/** With setpriv the kernel SIGKILLs the JVM if the test worker dies without running teardown (same PID: setpriv execs). */
const SETPRIV = '/usr/bin/setpriv';

const running = new Set<ZkEnsemble>();

// Every test file that imports this helper stops every ensemble it started, even if a test forgot or failed.
// (Outside vitest, e.g. from a tsx script, there is no runner to register with: the caller stops what it starts.)
if (process.env['VITEST'] !== undefined) {
  afterAll(async () => {
    await Promise.all([...running].map((ensemble) => ensemble.stop()));
  });
}

export type ZkMode = 'standalone' | 'leader' | 'follower' | 'observer';

export interface ZooKeeperOptions {
  /** 1 = standalone, 3 = ensemble. */
  readonly servers?: 1 | 3;
  /** Small ticks keep session expiry tight: expiry lands within [timeout - timeout/3, timeout + tick]. */
  readonly tickTimeMs?: number;
  readonly minSessionTimeoutMs?: number;
  readonly maxSessionTimeoutMs?: number;
  readonly startTimeoutMs?: number;
}

export interface ZkServer {
  readonly serverId: number;
  readonly clientPort: number;
  readonly quorumPort: number;
  readonly electionPort: number;
  readonly dir: string;
  readonly configPath: string;
  readonly logPath: string;
  /** PID of the running JVM, undefined while stopped. */
  pid: number | undefined;
}

export interface ZkEnsemble {
  readonly servers: readonly ZkServer[];
  /** `127.0.0.1:p1,127.0.0.1:p2,...` for the client library. */
  readonly connectString: string;
  server(serverId: number): ZkServer;
  /** The server's mode from `srvr`, or undefined when it is not serving. */
  mode(serverId: number): Promise<ZkMode | undefined>;
  /** The current leader (waits until one is serving). */
  leader(timeoutMs?: number): Promise<ZkServer>;
  /** Signals the JVM (SIGKILL by default, a crash) and waits until the PID is gone. */
  kill(serverId: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped server again with its data directory and waits until it serves. */
  restart(serverId: number): Promise<void>;
  waitServing(serverIds?: readonly number[], timeoutMs?: number): Promise<void>;
  /** Stops every JVM by PID and removes the scratch directory. Safe to call twice. */
  stop(): Promise<void>;
  /** Last lines of a server's log, for failure messages. */
  logTail(serverId: number, lines?: number): Promise<string>;
  /** The server a client session (16 hex digits, as the Coordinator reports it) is connected to, via `cons`. */
  serverOfSession(sessionId: string): Promise<ZkServer | undefined>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a four-letter word and returns the whole answer ('' when nothing is listening). */
export function fourLetterWord(port: number, word: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/** `srvr` answers "Mode: ..." only while the server serves clients (ruok says imok even without quorum). */
export async function serverMode(port: number): Promise<ZkMode | undefined> {
  const match = /^Mode: (standalone|leader|follower|observer)$/m.exec(await fourLetterWord(port, 'srvr'));
  return match?.[1] as ZkMode | undefined;
}

function configText(server: ZkServer, all: readonly ZkServer[], options: Required<ZooKeeperOptions>): string {
  const lines = [
    `tickTime=${options.tickTimeMs}`,
    `minSessionTimeout=${options.minSessionTimeoutMs}`,
    `maxSessionTimeout=${options.maxSessionTimeoutMs}`,
    `dataDir=${join(server.dir, 'data')}`,
    `clientPort=${server.clientPort}`,
    'clientPortAddress=127.0.0.1',
    '4lw.commands.whitelist=srvr,stat,ruok,mntr,cons',
    'admin.enableServer=false',
    'autopurge.purgeInterval=0',
  ];
  if (all.length > 1) {
    lines.push('initLimit=10', 'syncLimit=5');
    for (const peer of all) lines.push(`server.${peer.serverId}=127.0.0.1:${peer.quorumPort}:${peer.electionPort}`);
  }
  return `${lines.join('\n')}\n`;
}

async function prepareServer(scratch: ScratchDir, serverId: number): Promise<ZkServer> {
  const dir = join(scratch.path, `zk${serverId}`);
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'data', 'myid'), `${serverId}\n`);
  return {
    serverId,
    clientPort: await freePort(),
    quorumPort: await freePort(),
    electionPort: await freePort(),
    dir,
    configPath: join(dir, 'zoo.cfg'),
    logPath: join(dir, 'zk.log'),
    pid: undefined,
  };
}

function launch(server: ZkServer): void {
  const log = openSync(server.logPath, 'a');
  try {
    const args = [
      ...JVM_FLAGS,
      '-Dzookeeper.admin.enableServer=false',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=info',
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      '-cp',
      CLASSPATH,
      MAIN_CLASS,
      server.configPath,
    ];
    const [command, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', 'java', ...args]] : ['java', args];
    const child = spawnTracked(`zookeeper-${server.serverId}`, command, argv, { stdio: ['ignore', log, log] });
    server.pid = child.pid;
  } finally {
    closeSync(log);
  }
}

async function tail(path: string, lines: number): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}

async function waitOne(server: ZkServer, deadlineMs: number): Promise<void> {
  for (;;) {
    if ((await serverMode(server.clientPort)) !== undefined) return;
    if (server.pid === undefined || !isAlive(server.pid)) {
      throw new Error(`zookeeper ${server.serverId} exited before serving:\n${await tail(server.logPath, 30)}`);
    }
    if (Date.now() > deadlineMs) {
      throw new Error(`zookeeper ${server.serverId} not serving in time:\n${await tail(server.logPath, 30)}`);
    }
    await sleep(50);
  }
}

class Ensemble implements ZkEnsemble {
  readonly connectString: string;

  constructor(
    readonly servers: readonly ZkServer[],
    private readonly scratch: ScratchDir,
    private readonly startTimeoutMs: number,
  ) {
    this.connectString = servers.map((s) => `127.0.0.1:${s.clientPort}`).join(',');
  }

  server(serverId: number): ZkServer {
    const found = this.servers.find((s) => s.serverId === serverId);
    if (found === undefined) throw new Error(`no zookeeper server ${serverId}`);
    return found;
  }

  mode(serverId: number): Promise<ZkMode | undefined> {
    return serverMode(this.server(serverId).clientPort);
  }

  async leader(timeoutMs = 15_000): Promise<ZkServer> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const server of this.servers) {
        if (server.pid === undefined) continue;
        const mode = await serverMode(server.clientPort);
        if (mode === 'leader' || mode === 'standalone') return server;
      }
      if (Date.now() > deadline) throw new Error('no zookeeper leader in time');
      await sleep(50);
    }
  }

  async kill(serverId: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const server = this.server(serverId);
    if (server.pid !== undefined) await stopPid(server.pid, signal, 10_000);
    server.pid = undefined;
  }

  async restart(serverId: number): Promise<void> {
    const server = this.server(serverId);
    if (server.pid !== undefined && isAlive(server.pid)) throw new Error(`zookeeper ${serverId} is still running`);
    launch(server);
    await waitOne(server, Date.now() + this.startTimeoutMs);
  }

  async waitServing(serverIds?: readonly number[], timeoutMs = this.startTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const ids = serverIds ?? this.servers.map((s) => s.serverId);
    await Promise.all(ids.map((id) => waitOne(this.server(id), deadline)));
  }

  async stop(): Promise<void> {
    running.delete(this);
    await Promise.all(
      this.servers.map(async (server) => {
        if (server.pid !== undefined) await stopPid(server.pid, 'SIGKILL', 5_000);
        server.pid = undefined;
      }),
    );
    await this.scratch.remove();
  }

  logTail(serverId: number, lines = 40): Promise<string> {
    return tail(this.server(serverId).logPath, lines);
  }

  async serverOfSession(sessionId: string): Promise<ZkServer | undefined> {
    const wanted = BigInt(`0x${sessionId}`);
    for (const server of this.servers) {
      if (server.pid === undefined) continue;
      const answer = await fourLetterWord(server.clientPort, 'cons');
      const sids = [...answer.matchAll(/sid=0x([0-9a-f]+)/g)].map((m) => BigInt(`0x${m[1] ?? '0'}`));
      if (sids.includes(wanted)) return server;
    }
    return undefined;
  }
}

/** Starts 1 or 3 servers in parallel (JVM start-up dominates) and resolves once every one serves. */
export async function startZooKeeper(options: ZooKeeperOptions = {}): Promise<ZkEnsemble> {
  const resolved: Required<ZooKeeperOptions> = {
    servers: options.servers ?? 1,
    tickTimeMs: options.tickTimeMs ?? 500,
    minSessionTimeoutMs: options.minSessionTimeoutMs ?? 1_000,
    maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 60_000,
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
  };
  const scratch = await makeScratchDir('zk');
  const servers: ZkServer[] = [];
  for (let id = 1; id <= resolved.servers; id += 1) servers.push(await prepareServer(scratch, id));
  await Promise.all(servers.map((s) => writeFile(s.configPath, configText(s, servers, resolved))));
  const ensemble = new Ensemble(servers, scratch, resolved.startTimeoutMs);
  running.add(ensemble);
  try {
    for (const server of servers) launch(server);
    await ensemble.waitServing();
    return ensemble;
  } catch (error) {
    await ensemble.stop();
    throw error;
  }
}
