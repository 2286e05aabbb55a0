// The chaos supervisor (root namespace): creates the run's namespaces, runs the runner inside the hub, and always cleans up.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanUp, reapStaleRuns, register, unregister, type CleanupResult } from './cleanup.js';
import { createNet, describeNet, inNamespace, NETNS_PREFIX } from './netns.js';
import type { RunOptions } from './run.js';

const PEERS = 3;
const RUNNER = new URL('./runner-main.ts', import.meta.url).pathname;

/** What the supervisor is asked for: the run's options without the network, which it creates itself. */
export type ChaosOptions = Omit<RunOptions, 'net'>;

function newTag(): string {
  return `${NETNS_PREFIX}${Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}

/** Runs the runner in the hub namespace; SIGINT/SIGTERM to the supervisor are passed on, and cleanup still follows. */
function runRunner(hubNs: string, optionsPath: string): Promise<number> {
  return new Promise((resolve) => {
    const [command, args] = inNamespace(hubNs, process.execPath, ['--import', 'tsx', RUNNER, optionsPath]);
    const child = spawn(command, args, { stdio: 'inherit' });
    const forward = (): void => void child.kill('SIGTERM');
    const finishEarly = (): void => void child.kill('SIGUSR1');
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    process.on('SIGUSR1', finishEarly);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      process.off('SIGUSR1', finishEarly);
      resolve(code ?? (signal === null ? 1 : 128));
    });
  });
}

/** Adds the cleanup outcome to report.json (the runner may have died before writing one). */
async function amendReport(outDir: string, tag: string, cleanup: CleanupResult, runnerExit: number): Promise<void> {
  const path = join(outDir, 'report.json');
  const report = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : { status: 'failed', error: 'the runner wrote no report' };
  const clean = cleanup.leftoverNamespaces.length === 0 && cleanup.leftoverPids.length === 0 && cleanup.leftoverPool === null;
  await writeFile(path, `${JSON.stringify({ ...report, tag, runnerExit, cleanup: { ...cleanup, clean } }, null, 2)}\n`);
}

export async function superviseChaos(options: ChaosOptions): Promise<number> {
  const reaped = await reapStaleRuns(PEERS);
  if (reaped.length > 0) console.log(`cleaned up after earlier runs that died: ${reaped.join(', ')}`);
  const tag = newTag();
  const net = describeNet(tag, PEERS);
  await mkdir(options.outDir, { recursive: true });
  // PostgreSQL runs as `postgres` and keeps its sockets and logs below here (its parents must be searchable too).
  await chmod(options.outDir, 0o755);
  await register(tag, options.outDir);
  let exit = 1;
  try {
    await createNet(net);
    const optionsPath = join(options.outDir, 'options.json');
    await writeFile(optionsPath, JSON.stringify({ ...options, tag, peers: PEERS }, null, 2));
    exit = await runRunner(net.hubNs, optionsPath);
  } finally {
    const cleanup = await cleanUp(net, options.outDir);
    await amendReport(options.outDir, tag, cleanup, exit);
    await unregister(tag);
    const left = [...cleanup.leftoverNamespaces, ...cleanup.leftoverPids.map(String), ...(cleanup.leftoverPool === null ? [] : [cleanup.leftoverPool])];
    console.log(left.length === 0 ? `cleaned up: namespaces ${tag}-*, ${cleanup.killedPids} processes, pool ${cleanup.poolDestroyed ?? '-'}` : `LEFT BEHIND: ${left.join(' ')}`);
    if (left.length > 0) exit = 1;
  }
  console.log(`report: ${join(options.outDir, 'report.json')}, timeline: ${join(options.outDir, 'timeline.txt')}`);
  return exit;
}
