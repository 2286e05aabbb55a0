// dugong-adm's command line: global options, one subcommand per verb, exit statuses (0 ok, 1 failed, 2 usage); runnable in-process.
import { Command, CommanderError } from 'commander';
import { isDugongError } from '../errors.js';
import type { SitterConfig } from '../schema/sitter-config.js';
import { registerReadVerbs, registerWriteVerbs, type VerbRunner } from './commands.js';
import { realAdmDeps } from './deps.js';
import { printError } from './output.js';
import { accessFor, authFileFor, resolveTarget } from './target.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type AdmContext, type AdmDeps, type AdmIo, type ExitStatus } from './types.js';

interface GlobalOptions {
  readonly zk?: string;
  readonly shard?: string;
  readonly config?: string;
  readonly authFile?: string;
  readonly json?: boolean;
}

const PROBE_TIMEOUT_MS = 2_000;

/** Only mutations read the credential: reads work for anyone who reaches ZooKeeper (the znodes are world-readable). */
async function contextFor(command: Command, io: AdmIo, deps: AdmDeps, mutates: boolean): Promise<AdmContext> {
  const options = command.optsWithGlobals<GlobalOptions>();
  const config: SitterConfig | null = options.config === undefined ? null : await deps.loadSitterConfig(options.config);
  const authFile = mutates ? authFileFor(options.authFile, config) : undefined;
  const credential = authFile === undefined ? undefined : await deps.loadZkCredential(authFile);
  const target = resolveTarget({ zk: options.zk, shard: options.shard }, config, accessFor(credential, config));
  return { io, json: options.json === true, target, config, deps, probeTimeoutMs: PROBE_TIMEOUT_MS };
}

function buildProgram(io: AdmIo): Command {
  return new Command('dugong-adm')
    .description('Operate a Dugong shard: inspect it, freeze it, switch over, clean up.')
    .option('-z, --zk <connect>', 'ZooKeeper connect string, host:port[,host:port...]')
    .option('-s, --shard <path>', 'shard path in ZooKeeper, e.g. /dugong/shard1')
    .option('-c, --config <sitter.json>', 'take -z and -s (and, for changes, zookeeper.authFile) from a sitter config (rebuild: the local peer)')
    .option('--auth-file <file>', "the shard's ZooKeeper credential (user:password, mode 600): every change needs it or -c")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showSuggestionAfterError()
    .helpCommand(true);
}

/** Runs one dugong-adm command line (argv without node and script) and returns its exit status. Never throws. */
export async function runAdm(argv: readonly string[], io: AdmIo, deps: AdmDeps = realAdmDeps()): Promise<ExitStatus> {
  let status: ExitStatus = EXIT_OK;
  let json = false;
  const runner = (mutates: boolean): VerbRunner => async (command, verb) => {
    const ctx = await contextFor(command, io, deps, mutates);
    json = ctx.json;
    status = await verb(ctx);
  };
  const program = buildProgram(io);
  registerReadVerbs(program, runner(false));
  registerWriteVerbs(program, runner(true));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    printError(io, json, error);
    return isDugongError(error, 'DUGONG_ERR_USAGE') ? EXIT_USAGE : EXIT_FAILED;
  }
}

