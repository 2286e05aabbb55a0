// The subcommands of dugong-adm: their arguments and options, each handing a parsed request to its verb.
import type { Command } from 'commander';
import { activeVerb } from './active.js';
import { parseBytes, parseCount, parseIndex, parsePositiveNumber, parseRole } from './args.js';
import { clearPromoteVerb } from './clear-promote.js';
import { freezeVerb } from './freeze.js';
import { historyVerb } from './history.js';
import { peersVerb } from './peers.js';
import { pgStatusVerb } from './pg-status.js';
import { promoteVerb } from './promote.js';
import { reapVerb } from './reap.js';
import { rebuildVerb } from './rebuild.js';
import { showVerb } from './show.js';
import { stateVerb } from './state.js';
import type { AdmContext, ExitStatus } from './types.js';
import { unfreezeVerb } from './unfreeze.js';
import { verifyVerb } from './verify.js';

export type VerbRunner = (command: Command, verb: (ctx: AdmContext) => Promise<ExitStatus>) => Promise<void>;

const JSON_FLAG = ['-j, --json', 'print one JSON document instead of text'] as const;

function simple(program: Command, run: VerbRunner, name: string, description: string, verb: (ctx: AdmContext) => Promise<ExitStatus>): void {
  program
    .command(name)
    .description(description)
    .option(...JSON_FLAG)
    .action((_options: unknown, command: Command) => run(command, verb));
}

export function registerReadVerbs(program: Command, run: VerbRunner): void {
  simple(program, run, 'show', 'the shard: generation, mode, freeze, peers with replication state and lag, problems', showVerb);
  simple(program, run, 'peers', 'every peer with its role and whether it is registered', peersVerb);
  program
    .command('pg-status')
    .description("each peer's PostgreSQL in chain order: ROLE PEER PG REPL SENT FLUSH REPLAY LAG")
    .argument('[period]', 'repeat every PERIOD seconds', parsePositiveNumber)
    .argument('[count]', 'stop after COUNT reports', parseCount)
    .option(...JSON_FLAG)
    .action((periodSeconds: number | undefined, count: number | undefined, _options: unknown, command: Command) =>
      run(command, (ctx) => pgStatusVerb(ctx, { periodSeconds, count })),
    );
  simple(program, run, 'history', 'every cluster state ever written, with changes and anomalies', historyVerb);
  simple(program, run, 'verify', 'check the replication chain peer by peer; exit status 1 on any error', verifyVerb);
  simple(program, run, 'state', 'print the raw cluster state (JSON)', stateVerb);
  simple(program, run, 'active', 'the election list: registered peers in registration order', activeVerb);
}

export function registerWriteVerbs(program: Command, run: VerbRunner): void {
  program
    .command('freeze')
    .description('stop every generation change (failover, promotion) until unfrozen')
    .requiredOption('-r, --reason <text>', 'why (shown by show and in the history)')
    .option(...JSON_FLAG)
    .action((options: { reason: string }, command: Command) => run(command, (ctx) => freezeVerb(ctx, { reason: options.reason })));
  simple(program, run, 'unfreeze', 'allow generation changes again', unfreezeVerb);
  program
    .command('promote')
    .description('planned switchover (-r sync: the sync becomes primary) or async to sync (-r async -i INDEX)')
    .requiredOption('-n, --peer <id>', 'the peer to promote: its id (ip:pgPort:backupPort) or zone id')
    .requiredOption('-r, --role <role>', 'the role it holds now: sync or async', parseRole)
    .option('-i, --index <n>', 'its position in the async list (with -r async)', parseIndex)
    .option('--max-lag <bytes>', 'refuse when the target replayed less than this behind the primary', parseBytes, 16 * 1024 * 1024)
    .option('-f, --force', 'promote even when the lag is too large or cannot be measured', false)
    .option('--expire <seconds>', 'how long the request stays valid', parsePositiveNumber, 60)
    .option('--no-wait', 'write the request and return without waiting for the outcome')
    .option(...JSON_FLAG)
    .action((o: { peer: string; role: 'sync' | 'async'; index?: number; maxLag: number; force: boolean; expire: number; wait: boolean }, command: Command) =>
      run(command, (ctx) =>
        promoteVerb(ctx, { peer: o.peer, role: o.role, asyncIndex: o.index, maxLagBytes: o.maxLag, force: o.force, ttlSeconds: o.expire, wait: o.wait }),
      ),
    );
  simple(program, run, 'clear-promote', 'remove a promote request from the state', clearPromoteVerb);
  simple(program, run, 'rebuild', 'rebuild the local deposed peer (-c sitter.json): its sitter copies the primary, keeping the diverged data aside', rebuildVerb);
  simple(program, run, 'reap', 'remove deposed peers that are no longer registered', reapVerb);
}
