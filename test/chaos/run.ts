// One chaos run inside the prepared namespaces: bring the shard up, run the seeded faults, verify, report, tear down.
import { execFileSync } from 'node:child_process';
import { verdict, type SafetyVerdict } from './checker.js';
import { observe, peerById } from './health.js';
import { runFault, type FaultRecord } from './loop.js';
import type { ChaosNet } from './netns.js';
import { addGaps, buildReport, writeReport, type ReportInput } from './report.js';
import { planFaults, type FaultKind } from './schedule.js';
import { Timeline } from './timeline.js';
import { bringUp, tearDown, type ChaosWorld } from './world.js';
import type { RebuildPolicy } from './peers.js';
import { presentIds } from './workload.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RunOptions {
  readonly net: ChaosNet;
  readonly seed: number;
  readonly faults: number;
  readonly outDir: string;
  readonly sessionTimeoutMs: number;
  readonly storage: 'zfs' | 'directory';
  readonly rebuild: RebuildPolicy;
  /** How long to wait for a healthy shard after each fault before calling the run stuck. */
  readonly waitLimitMs: number;
  readonly kinds: readonly FaultKind[];
  readonly command: string;
  /** Test hook: fail on purpose before fault number abortAfter + 1, to prove the cleanup. */
  readonly abortAfter?: number;
}

function codeVersion(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', 'src'], { encoding: 'utf8' }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: true };
  }
}

/** Stops the workload and reads every id from the final primary. */
async function verify(world: ChaosWorld): Promise<{ verdict: SafetyVerdict; finalPrimary: string | null }> {
  await sleep(2_000);
  await world.writer.stop();
  await world.sampler.stop();
  const state = (await observe(world.peers)).state;
  const primary = peerById(world.peers, state?.primary.id);
  const endpoint = world.endpoints.find((e) => e.name === primary?.name);
  if (endpoint === undefined) throw new Error('no primary to verify against');
  return { verdict: verdict(world.writer.acks, await presentIds(endpoint), world.sampler.samples), finalPrimary: endpoint.name };
}

/** SIGUSR1 ends the fault loop early; the run still verifies and reports what it did (a long run cut short by hand). */
let stopRequested = false;
process.on('SIGUSR1', () => {
  stopRequested = true;
});

async function faultLoop(world: ChaosWorld, options: RunOptions, records: FaultRecord[], progress: () => Promise<void>): Promise<boolean> {
  for (const fault of planFaults(options.seed, options.faults, options.sessionTimeoutMs, options.kinds)) {
    if (stopRequested) {
      world.timeline.add('note', `stopped by SIGUSR1 after ${records.length} faults`);
      return false;
    }
    if (options.abortAfter !== undefined && records.length >= options.abortAfter) throw new Error(`aborted on purpose after ${records.length} faults (--abort-after)`);
    const record = await runFault(world, fault, options.waitLimitMs);
    records.push(record);
    await progress();
    if (record.healthyMs === null) return true;
  }
  return false;
}

export async function runChaos(options: RunOptions): Promise<Record<string, unknown>> {
  const timeline = new Timeline();
  const records: FaultRecord[] = [];
  let world: ChaosWorld | undefined;
  const input = (extra: Partial<ReportInput>): ReportInput => ({
    seed: options.seed, faultsPlanned: options.faults, command: options.command, sessionTimeoutMs: options.sessionTimeoutMs, storage: options.storage, rebuild: options.rebuild, kinds: options.kinds,
    startedAtMs: timeline.startedAtMs, code: codeVersion(), faults: records, acks: world?.writer.acks ?? [], writeFailures: world?.writer.failures ?? 0,
    rebuilds: world?.rebuilds ?? 0, verdict: null, finalPrimary: null, error: null, stuck: false, ...extra,
  });
  const progress = (): Promise<void> => writeReport(options.outDir, buildReport(input({})), timeline);
  let report: Record<string, unknown>;
  try {
    timeline.add('setup', `seed ${options.seed}, ${options.faults} faults, session timeout ${options.sessionTimeoutMs} ms, ${options.storage} storage, rebuild ${options.rebuild}`);
    world = await bringUp({ net: options.net, outDir: options.outDir, sessionTimeoutMs: options.sessionTimeoutMs, storage: options.storage, rebuild: options.rebuild }, timeline, () => undefined);
    world.writer.start();
    world.sampler.start();
    world.watcher.start();
    await sleep(2_000);
    const stuck = await faultLoop(world, options, records, progress);
    const checked = await verify(world);
    addGaps(timeline, world.writer.acks, records);
    report = buildReport(input({ ...checked, stuck }));
  } catch (error) {
    timeline.add('error', error instanceof Error ? (error.stack ?? error.message) : String(error));
    report = buildReport(input({ error: error instanceof Error ? error.message : String(error) }));
  } finally {
    if (world !== undefined) await tearDown(world).catch((error: unknown) => timeline.add('error', `teardown: ${String(error)}`));
  }
  await writeReport(options.outDir, report, timeline);
  return report;
}
