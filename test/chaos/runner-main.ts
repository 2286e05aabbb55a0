// Entry of the chaos runner, started by the supervisor inside the hub namespace: reads its options file, runs, exits 0 only if the run passed.
import { readFile } from 'node:fs/promises';
import { describeNet } from './netns.js';
import { runChaos } from './run.js';
import type { ChaosOptions } from './supervisor.js';

interface RunnerFile extends ChaosOptions {
  readonly tag: string;
  readonly peers: number;
}

const path = process.argv[2];
if (path === undefined) {
  console.error('usage: runner-main.ts <options.json>');
  process.exit(2);
}
const file = JSON.parse(await readFile(path, 'utf8')) as RunnerFile;
const report = await runChaos({ ...file, net: describeNet(file.tag, file.peers) });
const writes = report['writes'] as { acknowledged: number; lost: number | null };
const split = report['splitBrain'] as { splitBrainSamples: number | null };
console.log(`chaos seed ${file.seed}: ${String(report['status'])}; ${writes.acknowledged} acknowledged writes, ${writes.lost ?? '?'} lost, ${split.splitBrainSamples ?? '?'} split-brain samples`);
// Library timers (ZooKeeper client, pg pools) may linger: leave now that the report is written.
process.exit(report['status'] === 'passed' ? 0 : 1);
