// npm run sim -- --seeds N [--seed S] [--steps K] [--variant a|b|c] [--verbose]: runs seeded simulations and reports violations.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { DecideFn } from '../../src/fsm/index.js';
import { DEFAULT_STEPS, runSeed, type SeedResult } from './run.js';
import { decideForVariant, VARIANTS, type Variant } from './variants.js';

interface CliOptions {
  readonly seeds: number[];
  readonly steps: number;
  readonly variant: Variant | null;
  readonly verbose: boolean;
  readonly trace: boolean;
}

function positiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`--${name} must be a positive integer, got ${raw}`);
  return value;
}

function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      seeds: { type: 'string' },
      seed: { type: 'string' },
      steps: { type: 'string' },
      variant: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      trace: { type: 'boolean', default: false },
    },
  });
  const variant = values.variant ?? null;
  if (variant !== null && !(VARIANTS as readonly string[]).includes(variant)) throw new RangeError(`--variant must be one of ${VARIANTS.join(', ')}`);
  const single = values.seed === undefined ? null : positiveInt(values.seed, 'seed', 1);
  const count = positiveInt(values.seeds, 'seeds', 100);
  return {
    seeds: single === null ? Array.from({ length: count }, (_, i) => i + 1) : [single],
    steps: positiveInt(values.steps, 'steps', DEFAULT_STEPS),
    variant: variant as Variant | null,
    verbose: values.verbose ?? false,
    trace: values.trace ?? false,
  };
}

function reportFailure(result: SeedResult, options: CliOptions): void {
  const variant = options.variant === null ? '' : ` --variant ${options.variant}`;
  console.log(`seed ${result.seed} FAILED (${result.peers} peers${result.singleton ? ', singleton' : ''}): replay with npm run sim -- --seed ${result.seed} --steps ${options.steps}${variant}`);
  for (const violation of result.violations) console.log(`  at ${violation.atMs} ms [${violation.kind}] ${violation.message}`);
}

function printTrace(result: SeedResult): void {
  for (const log of result.logs) {
    const tag = log.transition === null ? '' : ` [${log.transition}]`;
    console.log(`  ${String(log.atMs).padStart(6)} ms ${log.peer}${tag} ${log.sentence}`);
  }
}

function main(): number {
  const options = parseCli(process.argv.slice(2));
  const decide: DecideFn | undefined = options.variant === null ? undefined : decideForVariant(options.variant);
  const started = performance.now();
  let events = 0;
  let violations = 0;
  let overtakenReads = 0;
  for (const seed of options.seeds) {
    const result = runSeed({ seed, steps: options.steps, keepLogs: options.trace, ...(decide === undefined ? {} : { decide }) });
    if (options.trace) printTrace(result);
    events += result.events;
    overtakenReads += result.overtakenReads;
    violations += result.violations.length;
    if (result.violations.length > 0) reportFailure(result, options);
    else if (options.verbose) console.log(`seed ${seed}: ok, ${result.peers} peers, ${result.events} events, ${result.acknowledged}/${result.commits} commits acknowledged, ${result.virtualMs} ms virtual`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${Math.round(events / seconds)} events/second (${seconds.toFixed(1)} s wall); ${overtakenReads} read answers overtaken by later watch events`);
  console.log(`sim: ${options.seeds.length} seeds, ${events} events, ${violations} violations`);
  return violations > 0 ? 1 : 0;
}

process.exitCode = main();
