// A 3-server ZooKeeper ensemble inside the chaos run's ZooKeeper namespace, so a partition can cut a peer off from it.
import { closeSync, openSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { isAlive, spawnTracked, stopPid } from '../helpers/processes.js';
import { inNamespace } from './netns.js';

const CLASSPATH = '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar';
const JVM_FLAGS = ['-Xms32m', '-Xmx128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Xss512k'];
const MAIN_CLASS = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChaosZkServer {
  readonly serverId: number;
  readonly clientPort: number;
  readonly configPath: string;
  readonly logPath: string;
  pid: number | undefined;
}

/** Sends a four-letter word and returns the answer ('' when nothing answers). */
function fourLetterWord(host: string, port: number, word: string, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk: string) => void (answer += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

export class ChaosZk {
  readonly connectString: string;

  private constructor(readonly host: string, private readonly ns: string, readonly servers: readonly ChaosZkServer[]) {
    this.connectString = servers.map((s) => `${host}:${s.clientPort}`).join(',');
  }

  /** Writes the configs and starts all three servers; resolves once each one serves. */
  static async start(dir: string, ns: string, host: string, tickTimeMs = 500): Promise<ChaosZk> {
    const servers: ChaosZkServer[] = [];
    for (const serverId of [1, 2, 3]) {
      const serverDir = join(dir, `zk${serverId}`);
      await mkdir(join(serverDir, 'data'), { recursive: true });
      await writeFile(join(serverDir, 'data', 'myid'), `${serverId}\n`);
      const server = { serverId, clientPort: 2180 + serverId, configPath: join(serverDir, 'zoo.cfg'), logPath: join(serverDir, 'zk.log'), pid: undefined };
      const lines = [
        `tickTime=${tickTimeMs}`, 'minSessionTimeout=1000', 'maxSessionTimeout=60000', `dataDir=${join(serverDir, 'data')}`,
        `clientPort=${server.clientPort}`, `clientPortAddress=${host}`, '4lw.commands.whitelist=srvr,stat,ruok,mntr,cons',
        'admin.enableServer=false', 'autopurge.purgeInterval=0', 'initLimit=10', 'syncLimit=5',
        ...[1, 2, 3].map((id) => `server.${id}=${host}:${2880 + id}:${3880 + id}`),
      ];
      await writeFile(server.configPath, `${lines.join('\n')}\n`);
      servers.push(server);
    }
    const zk = new ChaosZk(host, ns, servers);
    for (const server of servers) zk.launch(server);
    await zk.waitServing(servers.map((s) => s.serverId), 60_000);
    return zk;
  }

  server(serverId: number): ChaosZkServer {
    const found = this.servers.find((s) => s.serverId === serverId);
    if (found === undefined) throw new Error(`no zookeeper server ${serverId}`);
    return found;
  }

  private launch(server: ChaosZkServer): void {
    const log = openSync(server.logPath, 'a');
    try {
      const java = ['--pdeathsig', 'KILL', '--', 'java', ...JVM_FLAGS, '-Dzookeeper.admin.enableServer=false', '-cp', CLASSPATH, MAIN_CLASS, server.configPath];
      const [command, args] = inNamespace(this.ns, '/usr/bin/setpriv', java);
      server.pid = spawnTracked(`zookeeper-${server.serverId}`, command, args, { stdio: ['ignore', log, log] }).pid;
    } finally {
      closeSync(log);
    }
  }

  async mode(serverId: number): Promise<string | undefined> {
    const answer = await fourLetterWord(this.host, this.server(serverId).clientPort, 'srvr');
    return /^Mode: (\w+)$/m.exec(answer)?.[1];
  }

  /** The serving leader's id, or undefined when there is none right now. */
  async leaderId(): Promise<number | undefined> {
    for (const server of this.servers) {
      if (server.pid !== undefined && (await this.mode(server.serverId)) === 'leader') return server.serverId;
    }
    return undefined;
  }

  async kill(serverId: number): Promise<void> {
    const server = this.server(serverId);
    if (server.pid !== undefined) await stopPid(server.pid, 'SIGKILL', 5_000);
    server.pid = undefined;
  }

  /** Starts the servers that are down (keeping their data) without waiting for them. */
  restartStopped(): number[] {
    const started: number[] = [];
    for (const server of this.servers) {
      if (server.pid !== undefined && isAlive(server.pid)) continue;
      this.launch(server);
      started.push(server.serverId);
    }
    return started;
  }

  /** Waits until every named server answers `srvr` with a mode (a quorum member serving clients). */
  async waitServing(serverIds: readonly number[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const id of serverIds) {
      while ((await this.mode(id)) === undefined) {
        if (Date.now() > deadline) throw new Error(`zookeeper ${id} not serving within ${timeoutMs} ms`);
        await sleep(100);
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => this.kill(s.serverId)));
  }
}
