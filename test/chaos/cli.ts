// `tools/chaos`: parses the command line and runs one supervised chaos run (exit 0 = passed, 1 = failed or unsafe, 2 = usage).
import { Command, InvalidArgumentError, Option } from 'commander';
import { FAULT_KINDS, type FaultKind } from './schedule.js';
import { superviseChaos } from './supervisor.js';

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return parsed;
}

function kindList(value: string): FaultKind[] {
  const kinds = value.split(',').map((k) => k.trim());
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown fault kind(s) ${unknown.join(', ')}; known: ${FAULT_KINDS.join(', ')}`);
  return kinds as FaultKind[];
}

interface CliFlags {
  seed?: number;
  faults: number;
  out?: string;
  sessionTimeoutMs: number;
  waitLimitMs: number;
  kinds: FaultKind[];
  storage: 'zfs' | 'directory';
  rebuild: 'manual' | 'auto';
  abortAfter?: number;
}

const program = new Command('chaos')
  .description('Chaos verification of a 3-peer shard over a 3-server ZooKeeper ensemble, in private network namespaces (run as root). SIGUSR1 stops injecting faults early; the run still verifies and reports.')
  .option('--seed <n>', 'seed of the fault schedule (default: from the clock)', integer)
  .option('--faults <k>', 'number of faults to inject', integer, 20)
  .option('--out <dir>', 'where report.json, timeline.txt and the logs go (default /tmp/dugong-chaos-<seed>)')
  .option('--session-timeout-ms <ms>', "the sitters' ZooKeeper session timeout", integer, 3_000)
  .option('--wait-limit-ms <ms>', 'how long to wait for a healthy shard after a fault before the run counts as stuck', integer, 180_000)
  .option('--kinds <list>', `comma-separated fault kinds to draw from (default all: ${FAULT_KINDS.join(',')})`, kindList, [...FAULT_KINDS])
  .addOption(new Option('--storage <kind>', "peers' data on 'zfs' (a file-backed pool; needs zfs-fuse) or plain 'directory' (no disk-full fault)").choices(['zfs', 'directory']).default('zfs'))
  .addOption(new Option('--rebuild <policy>', "sitters' rebuild policy: 'manual' (the tool rebuilds deposed peers as an operator would) or 'auto' (the sitters rebuild themselves from the primary's backup server)").choices(['manual', 'auto']).default('manual'))
  .option('--abort-after <n>', 'fail on purpose after n faults (tests the cleanup)', integer)
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
program.parse(process.argv);
const flags = program.opts<CliFlags>();
const seed = flags.seed ?? Date.now() % 1_000_000;
const { storage, rebuild } = flags;
// A quota needs a dataset: without ZFS the disk-full fault is left out of the draw (and the replay says so).
const kinds = storage === 'zfs' ? flags.kinds : flags.kinds.filter((k) => k !== 'disk-full');
const outDir = flags.out ?? `/tmp/dugong-chaos-${seed}`;
const replay = `tools/chaos --seed ${seed} --faults ${flags.faults} --session-timeout-ms ${flags.sessionTimeoutMs} --storage ${storage} --rebuild ${rebuild}${flags.kinds.length === FAULT_KINDS.length ? '' : ` --kinds ${flags.kinds.join(',')}`}`;
console.log(`chaos: seed ${seed}, ${flags.faults} faults, output in ${outDir}; replay with: ${replay}`);
const exit = await superviseChaos({
  seed, faults: flags.faults, outDir, sessionTimeoutMs: flags.sessionTimeoutMs, waitLimitMs: flags.waitLimitMs, kinds, storage, rebuild, command: replay,
  ...(flags.abortAfter === undefined ? {} : { abortAfter: flags.abortAfter }),
});
process.exit(exit);
