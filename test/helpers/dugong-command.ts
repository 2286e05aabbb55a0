// How tests start a Dugong command: from source through tsx, or from the build when tools/test has just made one.
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

export type DugongCommandName = 'sitter' | 'backupserver' | 'snapshotter' | 'adm';

/**
 * tools/test builds dist/ right before vitest and says so with DUGONG_TEST_BUILD=1: the compiled entry then starts
 * in half the time of tsx (about 0.9 s against 1.9 s for the sitter), which adds up over the shards the suite starts.
 * A test file run by hand gets the source, so it always runs what is checked out.
 */
export function dugongCommand(name: DugongCommandName): { readonly command: string; readonly args: readonly string[] } {
  if (process.env['DUGONG_TEST_BUILD'] === '1') return { command: process.execPath, args: [join(ROOT, 'dist/cmd', `${name}.js`)] };
  return { command: process.execPath, args: ['--import', 'tsx', join(ROOT, 'src/cmd', `${name}.ts`)] };
}
