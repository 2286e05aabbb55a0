// The state a sitter starts from: nothing known about coordination or PostgreSQL yet.
import type { Peer } from '../schema/index.js';
import { DEFAULT_FSM_CONFIG, type FsmConfig } from './config.js';
import type { SitterState } from './types.js';

export function initialSitterState(self: Peer, config: FsmConfig = DEFAULT_FSM_CONFIG): SitterState {
  return {
    self,
    config,
    started: false,
    exited: false,
    nextOpId: 1,
    coord: {
      session: 'new',
      fresh: false,
      cluster: { kind: 'unknown' },
      active: [],
      registration: { kind: 'none' },
      sawAbsent: false,
      highestGeneration: 0,
      lastFailureAtMs: null,
    },
    pg: {
      status: null,
      statusFresh: false,
      replication: null,
      replicationFresh: false,
      pgStarts: 0,
      seenRunning: false,
      caughtUp: null,
      lastFailureAtMs: null,
      downSinceMs: null,
    },
    storage: { watchedSinceMs: null, lastAnsweredAtMs: null, lastError: null, pending: null },
    pending: { pg: null, coord: null },
    timers: {},
    role: 'none',
    roleBasis: null,
    roleCause: null,
    deposed: false,
    rebuild: { requested: false, sourceId: null, done: false, failedAtMs: null },
    writeInDoubt: null,
    gaveUp: null,
    shutdown: null,
    waitingReason: null,
    waitingCode: null,
  };
}
