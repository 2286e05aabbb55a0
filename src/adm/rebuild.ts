// `dugong-adm rebuild -c sitter.json`: checks that the local peer is deposed and says how to rebuild it; the sitter cannot do it yet.
import { DugongError } from '../errors.js';
import { peerIdOf, type SitterConfig } from '../schema/sitter-config.js';
import { withCoordinator } from './coordinator.js';
import { readValidState } from './mutate.js';
import { printError, report } from './output.js';
import { roleOf } from './peers.js';
import { EXIT_FAILED, type AdmContext, type ExitStatus } from './types.js';

/** PURE: the manual procedure, with this peer's own paths, that brings a deposed peer back as a fresh async (tested by hand). */
export function manualRebuildSteps(config: SitterConfig): string[] {
  const data = config.postgres.dataDir;
  const keep = config.storage.kind === 'zfs'
    ? `zfs set mountpoint=none ${config.storage.dataset} && zfs rename ${config.storage.dataset} ${config.storage.dataset}-diverged-$(date +%s)`
    : `mv ${data} ${data}.diverged-$(date +%s)`;
  return [
    "  1. stop this peer's sitter (SIGTERM); its PostgreSQL is already stopped and the peer unregisters",
    `  2. set the diverged data aside (never destroy it before you know nothing is missing): ${keep}`,
    '  3. dugong-adm reap      (removes the deposed, no longer registered peer from the state)',
    '  4. start the sitter again: it creates an empty data directory, the primary adds it as an async, and it copies its upstream with pg_basebackup',
  ];
}

export async function rebuildVerb(ctx: AdmContext): Promise<ExitStatus> {
  const config = ctx.config;
  if (config === null) throw new DugongError('DUGONG_ERR_USAGE', 'rebuild acts on the local peer: give its sitter config with -c <sitter.json>');
  const id = peerIdOf(config);
  const { state } = await withCoordinator(ctx, (coordinator) => readValidState(coordinator, ctx.target.shardPath));
  const role = roleOf(state, id);
  if (role !== 'deposed') {
    const is = role === 'unassigned' ? 'not in the cluster state' : `the ${role}`;
    throw new DugongError('DUGONG_ERR_ADM_REFUSED', `${id} is ${is}, not deposed: there is nothing to rebuild`);
  }
  const error = new DugongError(
    'DUGONG_ERR_REBUILD_UNAVAILABLE',
    `${id} is deposed, but this version of the sitter cannot rebuild it (rule 7: snapshot the diverged data, roll back to the last snapshot shared with the primary, receive an incremental stream) - nothing was changed`,
  );
  const steps = manualRebuildSteps(config);
  report(ctx, { id, role, rebuilt: false, error: { code: error.code, message: error.message }, manualSteps: steps.map((s) => s.trim()) }, () => [
    `${id} is deposed (generation ${state.generation}, primary ${state.primary.id}).`,
    'To bring it back by hand:',
    ...steps,
  ]);
  if (!ctx.json) printError(ctx.io, false, error);
  return EXIT_FAILED;
}
