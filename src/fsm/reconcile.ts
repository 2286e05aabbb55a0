// After every observation: keep the probe timer armed, then act on what the cluster state asks of my role.
import type { ClusterState } from '../schema/index.js';
import { applyRole } from './apply-role.js';
import { actOnAbsentState } from './bootstrap.js';
import { actAsDeposed, forgetRebuild } from './deposed.js';
import type { Draft } from './draft.js';
import { explainWaiting } from './explain.js';
import { ensureFreshStatus } from './pg-ops.js';
import { actAsPrimary } from './primary.js';
import { driveRegistration } from './registration.js';
import { effectiveRole } from './roles.js';
import { driveShutdown } from './shutdown.js';
import { actAsAsync, actAsSync } from './standby.js';
import { ensureTimer } from './timers.js';
import { setWaiting } from './waiting.js';

function actOnState(d: Draft, state: ClusterState, version: number): void {
  // No role before the first probe: whether my data is a primary's decides whether I am deposed.
  if (d.state.pg.status === null) return;
  const role = effectiveRole(state, d.state.self.id, d.state.pg.status);
  applyRole(d, role, state);
  if (role !== 'deposed') forgetRebuild(d);
  switch (role) {
    case 'primary':
      actAsPrimary(d, state, version);
      return;
    case 'sync':
      actAsSync(d, state, version);
      return;
    case 'async':
      actAsAsync(d, state);
      return;
    case 'deposed':
      actAsDeposed(d, state, version);
      return;
    case 'unassigned':
      // Not in the state: leave PostgreSQL alone and wait for the primary to append me.
      return;
  }
}

function actOnKnowledge(d: Draft): void {
  const cluster = d.state.coord.cluster;
  switch (cluster.kind) {
    case 'valid':
      actOnState(d, cluster.state, cluster.version);
      return;
    case 'absent':
      actOnAbsentState(d);
      return;
    case 'unknown':
    case 'invalid':
      // Unknown: nothing to act on yet. Invalid: take no action at all until an operator fixes it.
      return;
  }
}

export function reconcile(d: Draft): void {
  if (d.state.timers.tick === undefined) ensureTimer(d, 'tick', d.state.config.probeIntervalMs);
  if (d.state.shutdown !== null) driveShutdown(d);
  else {
    driveRegistration(d);
    ensureFreshStatus(d);
    actOnKnowledge(d);
  }
  if (!d.state.exited) setWaiting(d, explainWaiting(d));
}
