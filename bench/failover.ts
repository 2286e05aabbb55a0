// Hand-run failover benchmark: write-unavailability windows of a real 3-peer shard running the compiled sitter, plus sitter RSS and idle CPU.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { TestShard, type ShardPeer } from '../test/helpers/shard.js';
import { ensureTable, Writer, type Ack, type PgEndpoint } from '../test/helpers/workload.js';
import { median } from './stats.js';

const ROOT = new URL('..', import.meta.url).pathname;
const SCENARIOS = ['pg-crash', 'host-death', 'handover'] as const;
type Scenario = (typeof SCENARIOS)[number];
const WRITE_INTERVAL_MS = 10;
const RECOVERY_TIMEOUT_MS = 90_000;
const ACKS_AFTER_RECOVERY = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface BenchOptions {
  readonly runs: number;
  readonly sessionTimeoutMs: number;
  readonly scenarios: readonly Scenario[];
  readonly logLevel: string;
  readonly crashRestartBudgetMs: number | undefined;
  readonly healthIntervalMs: number | undefined;
  readonly idle: boolean;
  readonly steadyMs: number;
  readonly idleWindowMs: number;
  readonly logsDir: string;
  readonly markdownPath: string | undefined;
}

interface Milestone {
  readonly label: string;
  readonly peer: string;
  readonly afterFaultMs: number;
}

interface RunResult {
  readonly scenario: Scenario;
  readonly run: number;
  readonly gapMs: number;
  readonly baselineGapMs: number;
  /** When the longest gap began and ended (the last ack before it, the first after it), relative to the fault. */
  readonly gapStartMs: number;
  readonly gapEndMs: number;
  readonly finalPrimary: string;
  readonly acks: number;
  readonly lost: number;
  readonly overlaps: number;
  readonly loadAvg1: number;
  readonly milestones: readonly Milestone[];
}

interface SitterUsage {
  readonly peer: string;
  readonly role: string;
  readonly rssMb: number;
  readonly rssAfterIdleMb: number;
  /** From smaps_rollup after the idle window: anonymous (heap, stacks) vs file-backed (the node binary, shared by every sitter) and PSS. */
  readonly anonMb: number;
  readonly fileMb: number;
  readonly pssMb: number;
  readonly cpuPercent: number;
  readonly childCpuPercent: number;
  /** CPU of PostgreSQL backends that exited during the window (reaped by the postmaster): the sitter's short-lived probe connections. */
  readonly probeBackendCpuPercent: number;
}

interface LogLine {
  readonly timeMs: number;
  readonly msg: string;
  readonly peer: string;
}

// ---------- command line ----------

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
}

function countOf(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a whole number');
  return parsed;
}

function scenarioList(value: string): Scenario[] {
  const names = value.split(',').map((s) => s.trim());
  const bad = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
  if (bad.length > 0) throw new InvalidArgumentError(`unknown scenario(s) ${bad.join(', ')}; known: ${SCENARIOS.join(', ')}`);
  return names as Scenario[];
}

function parseOptions(argv: readonly string[]): BenchOptions {
  const program = new Command('bench/failover')
    .description('Measure write unavailability on a real 3-peer shard (compiled sitter) for PostgreSQL crash, host death and handover.')
    .option('--runs <n>', 'runs per scenario, fresh shard each (0: only the idle measurement)', countOf, 5)
    .option('--session-timeout-ms <ms>', 'ZooKeeper session timeout of the sitters (dev shard default)', positiveInt, 6_000)
    .option('--scenarios <list>', `comma-separated subset of ${SCENARIOS.join(',')}`, scenarioList, [...SCENARIOS])
    .option('--log-level <level>', 'sitter log level (info is the production default)', 'info')
    .option('--crash-restart-budget-ms <ms>', 'postgres.crashRestartBudgetMs (default: the config default)', positiveInt)
    .option('--health-interval-ms <ms>', 'postgres.healthIntervalMs (default: the config default)', positiveInt)
    .option('--no-idle', 'skip the RSS / idle CPU measurement')
    .option('--steady-ms <ms>', 'wait before reading RSS', positiveInt, 10_000)
    .option('--idle-window-ms <ms>', 'idle CPU window', positiveInt, 30_000)
    .option('--logs-dir <dir>', 'where sitter logs and timelines of each run are kept', join(tmpdir(), `dugong-bench-failover-${stamp()}`))
    .option('--markdown <file>', 'also write the results as a markdown fragment')
    .parse(argv as string[]);
  const o = program.opts<{ runs: number; sessionTimeoutMs: number; scenarios: Scenario[]; logLevel: string; crashRestartBudgetMs?: number;
    healthIntervalMs?: number; idle: boolean; steadyMs: number; idleWindowMs: number; logsDir: string; markdown?: string }>();
  return { ...o, crashRestartBudgetMs: o.crashRestartBudgetMs, healthIntervalMs: o.healthIntervalMs, markdownPath: o.markdown };
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

// ---------- shard lifecycle (every process stopped by PID, also on Ctrl-C) ----------

let liveShard: TestShard | undefined;
let liveWriter: Writer | undefined;
let interrupted = false;

function installInterruptHandler(): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping the shard by PID...`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function cleanUp(): Promise<void> {
  await liveWriter?.stop().catch(() => undefined);
  liveWriter = undefined;
  await liveShard?.stop().catch((error: unknown) => console.error(`shard stop failed: ${String(error)}`));
  liveShard = undefined;
}

function productionTweak(options: BenchOptions): (raw: Record<string, unknown>) => void {
  return (raw) => {
    const postgres = raw.postgres as Record<string, unknown>;
    // TestShard shortens these for tests; the benchmark uses the config defaults (what the dev shard runs) unless told.
    delete postgres.crashRestartBudgetMs;
    delete postgres.healthIntervalMs;
    if (options.crashRestartBudgetMs !== undefined) postgres.crashRestartBudgetMs = options.crashRestartBudgetMs;
    if (options.healthIntervalMs !== undefined) postgres.healthIntervalMs = options.healthIntervalMs;
    raw.logLevel = options.logLevel;
  };
}

async function startShard(options: BenchOptions): Promise<TestShard> {
  const shard = await TestShard.create({ sessionTimeoutMs: options.sessionTimeoutMs, sitterEntry: 'dist', tweak: productionTweak(options) });
  liveShard = shard;
  await shard.startAll();
  await shard.waitForRoles({ peer1: 'primary', peer2: 'sync', peer3: 'async' }, 120_000);
  return shard;
}

async function stopShard(shard: TestShard, keepLogsIn: string | undefined): Promise<void> {
  if (keepLogsIn !== undefined) keepLogs(shard, keepLogsIn);
  await shard.stop();
  liveShard = undefined;
}

function keepLogs(shard: TestShard, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const scratch = shard.pool.scratch.path;
  for (const file of readdirSync(scratch).filter((f) => f.endsWith('.log') || f.endsWith('.json'))) copyFileSync(join(scratch, file), join(dir, basename(file)));
}

function endpointsOf(shard: TestShard): PgEndpoint[] {
  return shard.peers.map((p) => ({ name: p.name, port: p.pgPort }));
}

// ---------- faults ----------

function kill(pid: number | undefined, signal: NodeJS.Signals, what: string): void {
  if (pid === undefined) throw new Error(`no ${what} to kill`);
  process.kill(pid, signal);
}

/** Children of a process, from /proc/<pid>/stat (field 4 is the parent PID). */
function childPids(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parentPid) children.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return children;
}

/** Injects the fault on the primary (peer1) and returns the wall-clock time it happened. */
function injectFault(shard: TestShard, scenario: Scenario): number {
  const primary = shard.peer('peer1');
  const pgPid = shard.postgresPid(primary);
  if (scenario === 'pg-crash') {
    kill(pgPid, 'SIGKILL', 'postmaster');
  } else if (scenario === 'host-death') {
    // The whole host at once: sitter, postmaster and every backend, so nothing lingers that a dead host would not have.
    const backends = pgPid === undefined ? [] : childPids(pgPid);
    kill(shard.sitterPid(primary), 'SIGKILL', 'sitter');
    kill(pgPid, 'SIGKILL', 'postmaster');
    for (const pid of backends) kill(pid, 'SIGKILL', 'backend');
  } else {
    kill(shard.sitterPid(primary), 'SIGTERM', 'sitter');
  }
  return Date.now();
}

// ---------- measurement of one failover run ----------

/** Longest gap between consecutive acknowledgements from the last one before the fault onwards, and when it ended. */
function gapAroundFault(acks: readonly Ack[], faultAtMs: number): { gapMs: number; lastBeforeMs: number; resumedAtMs: number } {
  let start = 0;
  for (let i = 0; i < acks.length; i += 1) if ((acks[i]?.ackedAtMs ?? 0) <= faultAtMs) start = i;
  let best = { gapMs: 0, lastBeforeMs: faultAtMs, resumedAtMs: faultAtMs };
  for (let i = start + 1; i < acks.length; i += 1) {
    const [before, after] = [acks[i - 1]?.ackedAtMs ?? 0, acks[i]?.ackedAtMs ?? 0];
    if (after - before > best.gapMs) best = { gapMs: after - before, lastBeforeMs: before, resumedAtMs: after };
  }
  return best;
}

/** Longest gap in the steady second before the fault: the writer's own jitter on this machine. */
function baselineGapMs(acks: readonly Ack[], faultAtMs: number): number {
  const before = acks.filter((a) => a.ackedAtMs <= faultAtMs && a.ackedAtMs >= faultAtMs - 2_000);
  let longest = 0;
  for (let i = 1; i < before.length; i += 1) longest = Math.max(longest, (before[i]?.ackedAtMs ?? 0) - (before[i - 1]?.ackedAtMs ?? 0));
  return longest;
}

/** Waits until the writer has `count` acknowledgements later than `afterMs` and none missing in between. */
async function waitForAcksAfter(writer: Writer, afterMs: number, count: number): Promise<void> {
  const deadline = Date.now() + RECOVERY_TIMEOUT_MS;
  while (writer.acks.filter((a) => a.sentAtMs > afterMs).length < count) {
    if (Date.now() > deadline) throw new Error(`writes did not resume within ${RECOVERY_TIMEOUT_MS} ms of the fault`);
    await sleep(50);
  }
}

async function writablePrimary(shard: TestShard): Promise<string> {
  await shard.waitFor('a writable primary', (s) => [...s.values()].some((x) => x?.role === 'primary' && x.pg.writable && x.pg.healthy), 60_000);
  const roles = await Promise.all(shard.peers.map(async (p) => [p.name, await shard.status(p)] as const));
  const found = roles.find(([, s]) => s?.role === 'primary' && s.pg.writable);
  if (found === undefined) throw new Error('the writable primary went away again');
  return found[0];
}

async function failoverRun(options: BenchOptions, scenario: Scenario, run: number): Promise<RunResult> {
  const shard = await startShard(options);
  const endpoints = endpointsOf(shard);
  const logsDir = join(options.logsDir, `${scenario}-${run}`);
  try {
    await ensureTable(endpoints[0] ?? { name: 'peer1', port: shard.peer('peer1').pgPort });
    const writer = new Writer(endpoints, WRITE_INTERVAL_MS);
    liveWriter = writer;
    writer.start();
    await sleep(3_000);
    const faultAtMs = injectFault(shard, scenario);
    await waitForAcksAfter(writer, faultAtMs, ACKS_AFTER_RECOVERY);
    const finalPrimary = await writablePrimary(shard);
    await writer.stop();
    liveWriter = undefined;
    const lost = await writer.missingOn(endpoints.find((e) => e.name === finalPrimary) ?? { name: finalPrimary, port: shard.peer(finalPrimary).pgPort });
    const gap = gapAroundFault(writer.acks, faultAtMs);
    const lines = shard.peers.flatMap((p) => [...readSitterLog(p), ...readPgLog(p)]).sort((a, b) => a.timeMs - b.timeMs);
    writeTimeline(logsDir, lines, faultAtMs, gap);
    return {
      scenario, run, finalPrimary, acks: writer.acks.length, lost: lost.length, overlaps: writer.overlappingAckers().length,
      gapMs: gap.gapMs, baselineGapMs: baselineGapMs(writer.acks, faultAtMs), gapStartMs: gap.lastBeforeMs - faultAtMs,
      gapEndMs: gap.resumedAtMs - faultAtMs, loadAvg1: loadavg()[0] ?? 0, milestones: milestonesOf(lines, faultAtMs, gap),
    };
  } finally {
    await liveWriter?.stop();
    liveWriter = undefined;
    await stopShard(shard, logsDir);
  }
}

// ---------- sitter logs: timeline and milestones ----------

function readLines(path: string | undefined): string[] {
  return path !== undefined && existsSync(path) ? readFileSync(path, 'utf8').split('\n') : [];
}

function readSitterLog(peer: ShardPeer): LogLine[] {
  return readLines(peer.logPath).flatMap((text) => parseSitterLine(text, peer.name) ?? []);
}

// The writer's attempts on read-only or starting peers flood PostgreSQL's log; they say nothing about the failover.
const PG_NOISE = /INSERT|read-only transaction|is starting up|not yet accepting connections|Consistent recovery state|is shutting down|connection to client lost/;

/** PostgreSQL's own log ("2026-01-01 10:00:00.123 UTC [pid] LOG:  message"), without the writer's noise. */
function readPgLog(peer: ShardPeer): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of readLines(peer.config.postgres.logFile)) {
    const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) UTC \[\d+\] (\w+):\s+(.*)$/.exec(text);
    if (match === null || match[3] === 'STATEMENT' || match[3] === 'DETAIL' || PG_NOISE.test(match[4] ?? '')) continue;
    lines.push({ timeMs: Date.parse(`${match[1]}T${match[2]}Z`), msg: `pg ${match[3]}: ${match[4] ?? ''}`, peer: peer.name });
  }
  return lines;
}

function parseSitterLine(text: string, peer: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    if (typeof record.time !== 'number' || typeof record.msg !== 'string') return undefined;
    return { timeMs: record.time, msg: record.msg, peer };
  } catch {
    return undefined;
  }
}

/** Every sitter and PostgreSQL log line (all peers) from just before the fault to a few seconds after writes resumed, relative to the fault. */
function writeTimeline(dir: string, lines: readonly LogLine[], faultAtMs: number, gap: { lastBeforeMs: number; resumedAtMs: number }): void {
  mkdirSync(dir, { recursive: true });
  const writer: LogLine[] = [
    { timeMs: faultAtMs, msg: `FAULT injected (${new Date(faultAtMs).toISOString()})`, peer: 'bench' },
    { timeMs: gap.lastBeforeMs, msg: 'last acknowledged write before the longest gap', peer: 'writer' },
    { timeMs: gap.resumedAtMs, msg: 'first acknowledged write after the longest gap', peer: 'writer' },
  ];
  const shown = [...lines.filter((l) => l.timeMs >= faultAtMs - 500 && l.timeMs <= gap.resumedAtMs + 3_000), ...writer].sort((a, b) => a.timeMs - b.timeMs);
  const text = shown.map((l) => `${String(l.timeMs - faultAtMs).padStart(7)} ms  ${l.peer.padEnd(6)}  ${l.msg}`);
  writeFileSync(join(dir, 'timeline.txt'), `${text.join('\n')}\n`);
}

// The first line after the fault matching each pattern (sitter JSON logs and PostgreSQL logs of every peer).
const MILESTONES: ReadonlyArray<{ readonly label: string; readonly pattern: RegExp }> = [
  { label: 'sitter: shutdown requested', pattern: /^shutdown requested/ },
  { label: 'sitter: handover done, leaving the election', pattern: /^Shutting down\.$/ },
  { label: 'sitter: saw PostgreSQL exit', pattern: /^PostgreSQL exited without being asked to/ },
  { label: 'sitter: restarting PostgreSQL', pattern: /^starting PostgreSQL/ },
  { label: 'pg: crash recovery begins', pattern: /^pg LOG: database system was not properly shut down/ },
  { label: 'pg: ready to accept connections', pattern: /^pg LOG: database system is ready to accept connections/ },
  { label: 'sitter: gave up registration', pattern: /^Gave up my registration/ },
  { label: 'sitter: takeover started (old primary node gone)', pattern: /^The primary .* is gone: detaching/ },
  { label: 'sitter: took over (G+1 written)', pattern: /^Took over as primary|^Now primary at generation [2-9]/ },
  { label: 'sitter: async follows as new sync', pattern: /^Now sync at generation [2-9]/ },
  { label: 'pg: promote request received', pattern: /^pg LOG: received promote request/ },
  { label: 'pg: promoted (new timeline)', pattern: /^pg LOG: selected new timeline ID/ },
  { label: 'sitter: pg_promote returned', pattern: /^pg_promote/ },
  { label: 'pg: sync standby streaming', pattern: /^pg LOG: .* is now a synchronous standby/ },
  { label: 'sitter: writes enabled', pattern: /^Writes enabled at generation/ },
  { label: 'pg: writes on (read_only off)', pattern: /^pg LOG: parameter "default_transaction_read_only" changed to "off"/ },
];

function milestonesOf(lines: readonly LogLine[], faultAtMs: number, gap: { lastBeforeMs: number; resumedAtMs: number }): Milestone[] {
  const after = lines.filter((l) => l.timeMs >= faultAtMs);
  const found: Milestone[] = [{ label: 'writer: last ack before the gap', peer: 'writer', afterFaultMs: gap.lastBeforeMs - faultAtMs }];
  for (const { label, pattern } of MILESTONES) {
    const line = after.find((l) => pattern.test(l.msg));
    if (line !== undefined) found.push({ label, peer: line.peer, afterFaultMs: line.timeMs - faultAtMs });
  }
  found.push({ label: 'writer: first ack after the gap', peer: 'writer', afterFaultMs: gap.resumedAtMs - faultAtMs });
  return found.sort((a, b) => a.afterFaultMs - b.afterFaultMs);
}

// ---------- idle resources ----------

const CLOCK_TICKS_PER_S = clockTicksPerS();

function clockTicksPerS(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

function kbField(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return Number(match?.[1] ?? 0) / 1024;
}

function rssMb(pid: number): number {
  return kbField(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
}

function memoryParts(pid: number): { anonMb: number; fileMb: number; pssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return { anonMb: kbField(status, 'RssAnon'), fileMb: kbField(status, 'RssFile'), pssMb: kbField(rollup, 'Pss') };
}

/** utime+stime and cutime+cstime of a process, in clock ticks. */
function cpuTicks(pid: number): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // After the command name: state is field 3, so utime/stime/cutime/cstime (fields 14-17) are at 11-14 here.
  return { own: (fields[11] ?? 0) + (fields[12] ?? 0), children: (fields[13] ?? 0) + (fields[14] ?? 0) };
}

async function idleUsage(options: BenchOptions): Promise<{ usage: SitterUsage[]; loadAvg1: number }> {
  const shard = await startShard(options);
  try {
    await sleep(options.steadyMs);
    const pids = shard.peers.map((p) => shard.sitterPid(p));
    const pgPids = shard.peers.map((p) => shard.postgresPid(p) ?? 0);
    const rss = pids.map(rssMb);
    const [before, pgBefore] = [pids.map(cpuTicks), pgPids.map(cpuTicks)];
    const startedMs = Date.now();
    await sleep(options.idleWindowMs);
    const wallS = (Date.now() - startedMs) / 1000;
    const [after, pgAfter] = [pids.map(cpuTicks), pgPids.map(cpuTicks)];
    const roles = await shard.roles();
    const usage = shard.peers.map((p, i) => ({
      peer: p.name, role: roles[p.name] ?? '?', rssMb: rss[i] ?? 0, rssAfterIdleMb: rssMb(pids[i] ?? 0), ...memoryParts(pids[i] ?? 0),
      cpuPercent: percentOfCore((after[i]?.own ?? 0) - (before[i]?.own ?? 0), wallS),
      childCpuPercent: percentOfCore((after[i]?.children ?? 0) - (before[i]?.children ?? 0), wallS),
      probeBackendCpuPercent: percentOfCore((pgAfter[i]?.children ?? 0) - (pgBefore[i]?.children ?? 0), wallS),
    }));
    return { usage, loadAvg1: loadavg()[0] ?? 0 };
  } finally {
    await stopShard(shard, join(options.logsDir, 'idle'));
  }
}

function percentOfCore(ticks: number, wallS: number): number {
  return (100 * ticks) / CLOCK_TICKS_PER_S / wallS;
}

// ---------- reporting ----------

function targetMs(scenario: Scenario, options: BenchOptions): number {
  if (scenario === 'pg-crash') return 2_000;
  if (scenario === 'host-death') return options.sessionTimeoutMs + 1_500;
  return 1_000;
}

function verdict(met: boolean): string {
  return met ? 'met' : '**not met**';
}

function failoverTable(results: readonly RunResult[], options: BenchOptions): string[] {
  const rows = ['| scenario | runs | median gap (ms) | min | max | target (median) | met? | lost acked writes | final primary | writer jitter before fault (max ms) |',
    '|---|---|---|---|---|---|---|---|---|---|'];
  for (const scenario of options.scenarios) {
    const mine = results.filter((r) => r.scenario === scenario);
    if (mine.length === 0) continue;
    const gaps = mine.map((r) => r.gapMs);
    const finals = [...new Set(mine.map((r) => r.finalPrimary))].join(', ');
    rows.push(`| ${scenario} | ${mine.length} | ${Math.round(median(gaps))} | ${Math.min(...gaps)} | ${Math.max(...gaps)} | ≤ ${targetMs(scenario, options)} | `
      + `${verdict(median(gaps) <= targetMs(scenario, options))} | ${mine.reduce((n, r) => n + r.lost, 0)} | ${finals} | ${Math.max(...mine.map((r) => r.baselineGapMs))} |`);
  }
  return rows;
}

function runsTable(results: readonly RunResult[]): string[] {
  const rows = ['| scenario | run | gap (ms) | gap from..to (ms after fault) | acks | lost | overlapping ackers | final primary | load avg (1 min) |', '|---|---|---|---|---|---|---|---|---|'];
  const ordered = [...results].sort((x, y) => SCENARIOS.indexOf(x.scenario) - SCENARIOS.indexOf(y.scenario) || x.run - y.run);
  for (const r of ordered) {
    rows.push(`| ${r.scenario} | ${r.run} | ${r.gapMs} | ${r.gapStartMs}..${r.gapEndMs} | ${r.acks} | ${r.lost} | ${r.overlaps} | ${r.finalPrimary} | ${r.loadAvg1.toFixed(2)} |`);
  }
  return rows;
}

/** Median time after the fault of each milestone seen in at least one run of the scenario. */
function breakdownTable(results: readonly RunResult[], scenario: Scenario): string[] {
  const mine = results.filter((r) => r.scenario === scenario);
  const labels = new Map<string, { peers: Set<string>; times: number[] }>();
  for (const m of mine.flatMap((r) => r.milestones)) {
    const entry = labels.get(m.label) ?? { peers: new Set<string>(), times: [] };
    entry.peers.add(m.peer);
    entry.times.push(m.afterFaultMs);
    labels.set(m.label, entry);
  }
  const sorted = [...labels].sort((a, b) => median(a[1].times) - median(b[1].times));
  const rows = [`| ${scenario}: step | by | seen in runs | median ms after fault | min | max |`, '|---|---|---|---|---|---|'];
  for (const [label, { peers, times }] of sorted) {
    rows.push(`| ${label} | ${[...peers].join(', ')} | ${times.length}/${mine.length} | ${Math.round(median(times))} | ${Math.min(...times)} | ${Math.max(...times)} |`);
  }
  return rows;
}

function usageTable(usage: readonly SitterUsage[]): string[] {
  const rows = ['| sitter | role | RSS after steady (MB) | RSS after idle window (MB) | of which anon / file (MB) | PSS (MB) | idle CPU (% of a core) '
    + '| its child processes (% of a core) | exited PostgreSQL backends (% of a core) |', '|---|---|---|---|---|---|---|---|---|'];
  for (const u of usage) {
    rows.push(`| ${u.peer} | ${u.role} | ${u.rssMb.toFixed(1)} | ${u.rssAfterIdleMb.toFixed(1)} | ${u.anonMb.toFixed(1)} / ${u.fileMb.toFixed(1)} | ${u.pssMb.toFixed(1)} | `
      + `${u.cpuPercent.toFixed(2)} | ${u.childCpuPercent.toFixed(2)} | ${u.probeBackendCpuPercent.toFixed(2)} |`);
  }
  const maxRss = Math.max(...usage.map((u) => Math.max(u.rssMb, u.rssAfterIdleMb)));
  const maxCpu = Math.max(...usage.map((u) => u.cpuPercent));
  rows.push('', `RSS target ≤ 80 MB: ${verdict(maxRss <= 80)} (max ${maxRss.toFixed(1)} MB); idle CPU target ≤ 1 % of a core: ${verdict(maxCpu <= 1)} (max ${maxCpu.toFixed(2)} %).`);
  return rows;
}

function command(): string {
  return `bench/failover ${process.argv.slice(2).join(' ')}`.trim();
}

function tryRun(file: string, args: readonly string[], fallback: string): string {
  try {
    return execFileSync(file, args as string[], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return fallback;
  }
}

function machine(): string[] {
  const cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? '?';
  const pg = tryRun('/usr/lib/postgresql/15/bin/postgres', ['--version'], '?');
  const zfsFuse = tryRun('dpkg-query', ['-W', '-f', '${Version}', 'zfs-fuse'], '?');
  return [
    `- CPU: ${cpus().length} × ${cpuModel}; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB; kernel ${release()}`,
    `- Node ${process.version}; ${pg}; zfs-fuse ${zfsFuse}`,
  ];
}

function report(options: BenchOptions, results: readonly RunResult[], idle: { usage: SitterUsage[]; loadAvg1: number } | undefined, loads: readonly number[]): string {
  const budget = options.crashRestartBudgetMs === undefined ? 'config default' : `${options.crashRestartBudgetMs} ms`;
  const health = options.healthIntervalMs === undefined ? 'config default' : `${options.healthIntervalMs} ms`;
  const lines = [
    `Date: ${new Date().toISOString()}; command: \`${command()}\``,
    ...machine(),
    `- Session timeout ${options.sessionTimeoutMs} ms; crashRestartBudgetMs ${budget}; healthIntervalMs ${health}; sitter log level ${options.logLevel}; writer every ${WRITE_INTERVAL_MS} ms`,
    `- Load average (1 min) during the runs: min ${Math.min(...loads).toFixed(2)}, max ${Math.max(...loads).toFixed(2)}`,
    `- Logs and per-run timelines: ${options.logsDir}`,
    '', ...failoverTable(results, options), '',
  ];
  for (const scenario of options.scenarios.filter((sc) => results.some((r) => r.scenario === sc))) lines.push(...breakdownTable(results, scenario), '');
  if (idle !== undefined) lines.push(`Idle shard (load average ${idle.loadAvg1.toFixed(2)}):`, '', ...usageTable(idle.usage), '');
  lines.push('<details><summary>every run</summary>', '', ...runsTable(results), '', '</details>');
  return lines.join('\n');
}

// ---------- main ----------

function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/cmd/sitter.js'))) throw new Error('dist/cmd/sitter.js is missing: build first (npx tsc -p tsconfig.build.json), or run bench/failover');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  assertBuilt();
  installInterruptHandler();
  mkdirSync(options.logsDir, { recursive: true });
  const results: RunResult[] = [];
  const loads: number[] = [loadavg()[0] ?? 0];
  // Rounds of one run per scenario, so the other engineers' varying load falls on every scenario alike.
  for (let run = 1; run <= options.runs; run += 1) {
    for (const scenario of options.scenarios) {
      const result = await failoverRun(options, scenario, run);
      results.push(result);
      loads.push(result.loadAvg1);
      console.log(`${scenario} run ${run}: gap ${result.gapMs} ms (${result.gapStartMs}..${result.gapEndMs} ms after the fault), writes on ${result.finalPrimary}, lost ${result.lost}, load ${result.loadAvg1.toFixed(2)}`);
    }
  }
  const idle = options.idle ? await idleUsage(options) : undefined;
  if (idle !== undefined) loads.push(idle.loadAvg1);
  const text = report(options, results, idle, loads);
  console.log(`\n${text}`);
  writeFileSync(join(options.logsDir, 'results.md'), `${text}\n`);
  if (options.markdownPath !== undefined) writeFileSync(options.markdownPath, `${text}\n`);
}

main()
  .catch((error: unknown) => {
    // After Ctrl-C the run in progress fails on processes the clean-up already stopped: nothing to report.
    if (interrupted) return;
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
