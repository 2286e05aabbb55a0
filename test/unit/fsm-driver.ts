// A hand-driven decide() for unit tests: feeds observations one at a time and keeps every action it asked for.
import { DEFAULT_FSM_CONFIG, decide, initialSitterState, type Action, type ActiveEntry, type ClusterStateData, type Observation, type PgStatus, type SitterState } from '../../src/fsm/index.js';
import type { Peer } from '../../src/schema/index.js';

export const NOW_MS = 1_735_689_600_000;

export function peer(n: number): Peer {
  return { id: `10.0.0.${n}:5432:10002`, ip: `10.0.0.${n}`, pgUrl: `tcp://postgres@10.0.0.${n}:5432/postgres`, zoneId: `z${n}`, backupUrl: `http://10.0.0.${n}:10002` };
}

export const stoppedEmpty: PgStatus = {
  running: false,
  dataRole: 'none',
  writable: false,
  syncStandby: null,
  upstream: null,
  streaming: false,
  walLsn: '0/0',
  replayLsn: '0/0',
};

export class Driver {
  state: SitterState;
  nowMs = NOW_MS;
  readonly actions: Action[] = [];

  constructor(self: Peer = peer(1)) {
    this.state = initialSitterState(self, DEFAULT_FSM_CONFIG);
  }

  feed(observation: Observation): Action[] {
    const decision = decide(this.state, observation, this.nowMs);
    this.state = decision.state;
    this.actions.push(...decision.actions);
    return [...decision.actions];
  }

  last<K extends Action['kind']>(kind: K): Extract<Action, { kind: K }> {
    const found = [...this.actions].reverse().find((action): action is Extract<Action, { kind: K }> => action.kind === kind);
    if (found === undefined) throw new Error(`no ${kind} action so far`);
    return found;
  }
}

export const active = (...numbers: number[]): ActiveEntry[] => numbers.map((n, i) => ({ peer: peer(n), seq: i + 1 }));

/** Start, connect, read an absent state with the given registrations, register, probe PostgreSQL. */
export function connected(driver: Driver, entries: ActiveEntry[], cluster: ClusterStateData = { kind: 'absent' }): void {
  driver.feed({ kind: 'start' });
  driver.feed({ kind: 'pgStatus', opId: driver.last('fetchPgStatus').opId, status: stoppedEmpty });
  driver.feed({ kind: 'sessionConnected' });
  driver.feed({ kind: 'coordSnapshot', opId: driver.last('readCoordination').opId, cluster, active: entries });
  driver.feed({ kind: 'registerOk', opId: driver.last('register').opId, seq: 1 });
}
