// Size estimate for a send stream: `zfs send -nvP` where the CLI has it, else the snapshot's referenced bytes.
import { isDugongError } from '../errors.js';
import { runZfs } from './command.js';
import type { ZfsContext } from './context.js';
import { getProperty } from './dataset.js';
import { isUnsupportedOptionStderr, parseIntegerValue, parseSendSizeEstimate } from './parse.js';
import { sendArgs, type SendSpec } from './send.js';

export interface SendSizeEstimate {
  readonly bytes: number;
  /**
   * `dry-run`: from `zfs send -nvP` (OpenZFS, illumos), close to the real stream size.
   * `referenced`: the target snapshot's `referenced` bytes (zfs-fuse 0.7 has no `-n`/`-P`): about the size of a
   * full stream, an upper bound for an incremental one (good enough for progress, not for quotas).
   */
  readonly method: 'dry-run' | 'referenced';
}

async function dryRunEstimate(ctx: ZfsContext, args: readonly string[]): Promise<number | undefined> {
  const dryRunArgs = ['send', '-n', '-v', '-P', ...args.slice(1)];
  try {
    const { stdout, stderr } = await runZfs(ctx, dryRunArgs);
    ctx.features.sendDryRun = true;
    // OpenZFS prints the dry-run report on stdout, some versions on stderr: read both.
    return parseSendSizeEstimate(`${stdout}\n${stderr}`);
  } catch (error) {
    const stderr = isDugongError(error) && typeof error.details['stderr'] === 'string' ? error.details['stderr'] : '';
    if (!isUnsupportedOptionStderr(stderr)) throw error;
    ctx.log.info('zfs send has no -n/-P here (zfs-fuse?): estimating stream sizes from the referenced property');
    ctx.features.sendDryRun = false;
    return undefined;
  }
}

/** Estimates the bytes a `send` with this spec will produce, without producing them. */
export async function estimateSendSize(ctx: ZfsContext, spec: SendSpec): Promise<SendSizeEstimate> {
  const args = sendArgs(spec);
  if (ctx.features.sendDryRun !== false) {
    const bytes = await dryRunEstimate(ctx, args);
    if (bytes !== undefined) return { bytes, method: 'dry-run' };
  }
  const referenced = await getProperty(ctx, spec.snapshot, 'referenced');
  return { bytes: parseIntegerValue(referenced ?? '', `${args[args.length - 1] ?? ''} referenced`), method: 'referenced' };
}
