// Shared start-up of every daemon: `-f <config.json>`, validated once; any problem is printed and the process exits 2.
import { Command } from 'commander';
import { errorMessage } from '../errors.js';

export const EXIT_CONFIG_INVALID = 2;

export interface DaemonCommand {
  /** The program name, e.g. `dugong-sitter`. */
  readonly name: string;
  readonly description: string;
  /** What the file configures, for the help text, e.g. `sitter`. */
  readonly what: string;
}

/** Parses argv for `-f`, then runs `load` on the file; a failure of either ends the process with status 2. */
export async function readConfigOrExit<T>(command: DaemonCommand, argv: readonly string[], load: (file: string) => Promise<T>): Promise<T> {
  const program = new Command(command.name)
    .description(command.description)
    .requiredOption('-f, --file <path>', `${command.what} configuration file (JSON)`)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_CONFIG_INVALID))
    .parse(argv as string[]);
  const { file } = program.opts<{ file: string }>();
  try {
    return await load(file);
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n`);
    process.exit(EXIT_CONFIG_INVALID);
  }
}
