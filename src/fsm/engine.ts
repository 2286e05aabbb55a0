// The decision engine behind decide(): fold the observation into the state, then reconcile towards what the state asks.
import type { Decision } from './actions.js';
import { absorbCoordOp, absorbSession, absorbSnapshot, absorbWatch, absorbWriteResult } from './absorb-coord.js';
import { absorbPgResult, absorbPgStatus, absorbReplication } from './absorb-pg.js';
import { absorbRebuildRequest } from './deposed.js';
import { newDraft, patch, patchPg, type Draft } from './draft.js';
import type { Faults } from './faults.js';
import type { Observation } from './observations.js';
import { reconcile } from './reconcile.js';
import { requestShutdown } from './shutdown.js';
import { absorbStorageChecked, checkStorage, startWatchingStorage } from './storage-check.js';
import { consumeTimer } from './timers.js';
import type { SitterState } from './types.js';

function assertNever(value: never): never {
  throw new TypeError(`unhandled observation ${JSON.stringify(value)}`);
}

function absorbTimer(d: Draft, obs: Extract<Observation, { kind: 'timerFired' }>): void {
  if (!consumeTimer(d, obs.timer, obs.token)) return;
  // The probe tick refreshes everything (and checks the storage); the poll refreshes replication; deadline timers only wake reconcile.
  if (obs.timer === 'tick') {
    patchPg(d, { statusFresh: false, replicationFresh: false });
    checkStorage(d);
  }
  if (obs.timer === 'poll') patchPg(d, { replicationFresh: false });
}

function absorb(d: Draft, obs: Observation): void {
  switch (obs.kind) {
    case 'start':
      patch(d, { started: true });
      startWatchingStorage(d);
      checkStorage(d);
      return;
    case 'sessionConnected':
    case 'sessionDisconnected':
    case 'sessionExpired':
      absorbSession(d, obs.kind);
      return;
    case 'coordSnapshot':
      absorbSnapshot(d, obs);
      return;
    case 'clusterStateChanged':
    case 'activeListChanged':
      absorbWatch(d, obs);
      return;
    case 'registerOk':
    case 'unregisterOk':
    case 'coordOpFailed':
      absorbCoordOp(d, obs);
      return;
    case 'stateWriteOk':
    case 'stateWriteConflict':
    case 'stateWriteError':
      absorbWriteResult(d, obs);
      return;
    case 'pgStatus':
      absorbPgStatus(d, obs);
      return;
    case 'replicationStatus':
      absorbReplication(d, obs);
      return;
    case 'pgOpOk':
    case 'pgOpFailed':
      absorbPgResult(d, obs);
      return;
    case 'storageChecked':
      absorbStorageChecked(d, obs);
      return;
    case 'timerFired':
      absorbTimer(d, obs);
      return;
    case 'rebuildRequested':
      absorbRebuildRequest(d);
      return;
    case 'shutdownRequested':
      requestShutdown(d);
      return;
    default:
      return assertNever(obs);
  }
}

export function runDecide(state: SitterState, observation: Observation, nowMs: number, faults: Faults): Decision {
  if (state.exited) return { state, actions: [] };
  const d = newDraft(state, nowMs, faults);
  absorb(d, observation);
  if (d.state.started && !d.state.exited) reconcile(d);
  return { state: d.state, actions: d.actions };
}
