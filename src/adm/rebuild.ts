// `dugong-adm rebuild -c sitter.json`: asks the local deposed peer's sitter to rebuild itself and follows it until it rejoins.
import { DugongError } from '../errors.js';
import { peerIdOf } from '../schema/sitter-config.js';
import { printError, report } from './output.js';
import { progressBar, progressText, stepsText } from './rebuild-progress.js';
import { readSitterView, requestRebuild, statusBaseUrl, type HttpJson, type SitterView } from './sitter-api.js';
import { EXIT_FAILED, EXIT_OK, type AdmContext, type ExitStatus } from './types.js';

const POLL_INTERVAL_MS = 500;
// A rebuild of a large dataset takes hours at worst; past this the operator is told to look at the sitter.
const WAIT_LIMIT_MS = 6 * 3_600_000;

type Outcome = { readonly kind: 'rejoined'; readonly view: SitterView } | { readonly kind: 'failed'; readonly view: SitterView; readonly error: string };

function isTerminal(ctx: AdmContext): boolean {
  return !ctx.json && (ctx.io.stdout as { isTTY?: boolean }).isTTY === true;
}

/** Prints progress: a redrawn bar on a terminal, a plain line whenever the text changes otherwise (none with --json). */
function progressPrinter(ctx: AdmContext): (view: SitterView) => void {
  let last = '';
  return (view) => {
    const restore = view.restore;
    if (ctx.json || restore === null || restore.state !== 'running') return;
    if (isTerminal(ctx)) {
      ctx.io.stdout.write(`\r${progressBar(restore)}`);
      return;
    }
    const text = `rebuilding: ${progressText(restore)}`;
    if (text.replace(/[\d.]+ MiB of/, '') !== last.replace(/[\d.]+ MiB of/, '')) ctx.io.stdout.write(`${text}\n`);
    last = text;
  };
}

async function followRebuild(ctx: AdmContext, baseUrl: string, http: HttpJson): Promise<Outcome> {
  const print = progressPrinter(ctx);
  const deadline = ctx.deps.clock.now() + WAIT_LIMIT_MS;
  let sawRunning = false;
  for (;;) {
    const view = await readSitterView(http, baseUrl);
    if (view.role !== 'deposed') return { kind: 'rejoined', view };
    sawRunning ||= view.restore?.state === 'running';
    // Only a failure of the rebuild we asked for counts (an earlier one may still be on display).
    if (sawRunning && view.restore?.state === 'failed') return { kind: 'failed', view, error: view.restore.error ?? 'unknown error' };
    print(view);
    if (ctx.deps.clock.now() > deadline) return { kind: 'failed', view, error: `still deposed after ${WAIT_LIMIT_MS / 3_600_000} h` };
    await ctx.deps.clock.sleep(POLL_INTERVAL_MS);
  }
}

export async function rebuildVerb(ctx: AdmContext): Promise<ExitStatus> {
  const config = ctx.config;
  if (config === null) throw new DugongError('DUGONG_ERR_USAGE', 'rebuild acts on the local peer: give its sitter config with -c <sitter.json>');
  const http = ctx.deps.http;
  const id = peerIdOf(config);
  const baseUrl = statusBaseUrl(config);
  const before = await readSitterView(http, baseUrl);
  if (before.role !== 'deposed') throw new DugongError('DUGONG_ERR_ADM_REFUSED', `${id} is ${before.role}, not deposed: there is nothing to rebuild`);
  await requestRebuild(http, baseUrl);
  if (!ctx.json) ctx.io.stdout.write(`${id}: rebuild requested; its diverged data is kept aside, never destroyed\n`);
  const outcome = await followRebuild(ctx, baseUrl, http);
  if (isTerminal(ctx)) ctx.io.stdout.write('\n');
  const restore = outcome.view.restore;
  if (outcome.kind === 'failed') {
    const error = new DugongError('DUGONG_ERR_RESTORE_FAILED', `rebuild of ${id} failed: ${outcome.error} (the sitter tries again on its own; see GET /restore and its log)`);
    report(ctx, { id, rebuilt: false, restore, error: { code: error.code, message: error.message } }, () => []);
    if (!ctx.json) printError(ctx.io, false, error);
    return EXIT_FAILED;
  }
  report(ctx, { id, rebuilt: true, role: outcome.view.role, restore }, () => [
    `${id} rebuilt${restore?.method === null || restore === null ? '' : ` (${restore.method} from ${restore.source ?? '?'})`}; now ${outcome.view.role}.`,
    ...(restore === null || stepsText(restore) === '' ? [] : [`The copy ${stepsText(restore)}.`]),
    ...(restore?.keptAs === null || restore === null ? [] : [`The diverged data is kept as ${restore.keptAs}: inspect it, then remove it when you are sure nothing in it is needed.`]),
  ]);
  return EXIT_OK;
}
