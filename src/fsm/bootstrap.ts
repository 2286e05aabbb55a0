// No cluster state yet: the first registered peer creates generation 1 once a second peer is present.
import { coordIdle, coordReady, writeState } from './coord-ops.js';
import type { Draft } from './draft.js';
import { bootstrapState } from './next-state.js';
import { decided, waiting } from './sentences.js';
import type { Waiting } from './waiting.js';

/** Why this peer must not create a state even though none exists, or null when it may. */
function refusal(d: Draft): Waiting | null {
  const seen = d.state.coord.highestGeneration;
  // A state that vanishes after we saw one means an operator or a bug removed it: never paper over that.
  if (seen > 0) return { code: 'bootstrap-refused', sentence: waiting.bootstrapRefused(seen) };
  if (d.state.pg.status?.dataRole === 'standby') {
    return { code: 'bootstrap-standby-data', sentence: waiting.bootstrapStandbyData() };
  }
  return null;
}

export function bootstrapWaiting(d: Draft): Waiting | null {
  const refused = refusal(d);
  if (refused !== null) return refused;
  const active = d.state.coord.active;
  const first = active[0];
  if (first === undefined || first.peer.id !== d.state.self.id) {
    return first === undefined ? null : { code: 'bootstrap-other', sentence: waiting.bootstrapOther(first.peer.id) };
  }
  if (!d.state.config.oneNodeWriteMode && active.length < 2) {
    return { code: 'bootstrap-second', sentence: waiting.bootstrapSecond() };
  }
  return null;
}

export function actOnAbsentState(d: Draft): void {
  if (d.state.pg.status === null || refusal(d) !== null || !coordReady(d) || !coordIdle(d)) return;
  const active = d.state.coord.active;
  if (active[0]?.peer.id !== d.state.self.id) return;
  const singleton = d.state.config.oneNodeWriteMode;
  const next = bootstrapState(active, singleton);
  if (next === null) return;
  const sentence = singleton ? decided.bootstrapSingleton() : decided.bootstrap(next);
  writeState(d, { purpose: 'bootstrap', state: next, sentence }, null);
}
