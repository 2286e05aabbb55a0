// decide() driven directly: the start-up sequence, bootstrap, lost races, invalid states, stale results, and a
// property test that feeds arbitrary observation sequences and checks the machine's own guarantees.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInvariants, type Action, type ClusterStateData, type Observation, type PgStatus } from '../../src/fsm/index.js';
import { ClusterStateSchema, type ClusterState, type Peer } from '../../src/schema/index.js';
import { active, connected, Driver, peer } from './fsm-driver.js';

describe('decide()', () => {
  it('starts by checking the storage, arming the probe tick and probing PostgreSQL, and waits for a session', () => {
    const driver = new Driver();
    const actions = driver.feed({ kind: 'start' });
    expect(actions.map((action) => action.kind)).toEqual(['checkStorage', 'setTimer', 'fetchPgStatus', 'log']);
    expect(driver.state.waitingReason).toBe('Waiting for a coordination session.');
  });

  it('reads coordination before registering, so a returning peer sees the state before it reappears', () => {
    const driver = new Driver();
    driver.feed({ kind: 'start' });
    expect(driver.feed({ kind: 'sessionConnected' }).map((action) => action.kind)).toContain('readCoordination');
    const snapshot = driver.feed({ kind: 'coordSnapshot', opId: driver.last('readCoordination').opId, cluster: { kind: 'absent' }, active: [] });
    expect(snapshot.map((action) => action.kind)).toContain('register');
  });

  it('bootstraps with create-if-absent at generation 1 (initWal 0/0) when first of two, and re-reads after losing the race', () => {
    const driver = new Driver();
    connected(driver, active(1, 2));
    const write = driver.last('writeClusterState');
    expect(write).toMatchObject({ mode: 'create', expectedVersion: null });
    expect(write.state).toEqual({ generation: 1, primary: peer(1), sync: peer(2), async: [], deposed: [], initWal: '0/0' });
    const after = driver.feed({ kind: 'stateWriteConflict', opId: write.opId });
    expect(after.map((action) => action.kind)).toEqual(expect.arrayContaining(['readCoordination', 'log']));
    expect(after.find((action) => action.kind === 'log')).toMatchObject({
      level: 'warn',
      sentence: 'Lost the race to write generation 1: someone else wrote first; re-reading the cluster state.',
    });
  });

  it('never bootstraps alone, and not when it is not the first registered', () => {
    const alone = new Driver();
    connected(alone, active(1));
    expect(alone.actions.some((action) => action.kind === 'writeClusterState')).toBe(false);
    expect(alone.state.waitingReason).toBe('Waiting for a second peer to register before creating the first cluster state.');
    const second = new Driver(peer(2));
    connected(second, active(1, 2));
    expect(second.actions.some((action) => action.kind === 'writeClusterState')).toBe(false);
    expect(second.state.waitingReason).toBe(`Waiting for ${peer(1).id}, the first registered peer, to create the first cluster state.`);
  });

  it('takes no action on an invalid state and says why', () => {
    const driver = new Driver(peer(2));
    const invalid: ClusterStateData = { kind: 'present', version: 4, data: { generation: 2, primary: peer(1) } };
    connected(driver, active(2, 3), invalid);
    const fallible = driver.actions.filter((action) => !['setTimer', 'log', 'fetchPgStatus', 'checkStorage', 'readCoordination', 'register'].includes(action.kind));
    expect(fallible).toEqual([]);
    expect(driver.state.coord.cluster.kind).toBe('invalid');
    expect(driver.state.waitingReason).toMatch(/^The cluster state is invalid \(.*\): taking no action until an operator writes a valid one\.$/);
  });

  it('ignores results for operations it is not waiting for', () => {
    const driver = new Driver();
    driver.feed({ kind: 'start' });
    const before = driver.state;
    expect(driver.feed({ kind: 'pgOpOk', opId: 999 })).toEqual([]);
    expect(driver.feed({ kind: 'stateWriteOk', opId: 998, version: 3 })).toEqual([]);
    expect(driver.feed({ kind: 'timerFired', timer: 'tick', token: 997 })).toEqual([]);
    expect(driver.state).toBe(before.exited ? before : driver.state);
    expect(driver.state.pending).toEqual(before.pending);
  });

  it('does nothing at all after it has exited', () => {
    const driver = new Driver();
    driver.feed({ kind: 'start' });
    driver.state = { ...driver.state, exited: true };
    expect(driver.feed({ kind: 'sessionConnected' })).toEqual([]);
  });
});

// ---------- property test: arbitrary observation sequences ----------

const PEERS = [peer(1), peer(2), peer(3)];

function randomState(pick: (n: number) => number, generation: number): ClusterState {
  const order = [...PEERS].sort(() => pick(3) - 1);
  const [primary, sync, async] = order as [Peer, Peer, Peer];
  const layouts: ClusterState[] = [
    { generation, primary, sync, async: [async], deposed: [], initWal: '0/3000000' },
    { generation, primary, sync, async: [], deposed: [async], initWal: '0/2000000' },
    { generation, primary, sync: null, async: [], deposed: [], initWal: '0/0', oneNodeWriteMode: true },
    { generation, primary, sync, async: [async], deposed: [], initWal: '1/0', freeze: { date: '2025-01-01T00:00:00Z', reason: 'test' } },
  ];
  return layouts[pick(layouts.length)] as ClusterState;
}

function randomStatus(pick: (n: number) => number): PgStatus {
  const running = pick(2) === 1;
  const dataRole = (['none', 'primary', 'standby'] as const)[pick(3)] ?? 'none';
  const lsns = ['0/0', '0/2FFFFFF', '0/3000000', '0/3000060', '1/0'] as const;
  return {
    running,
    dataRole,
    writable: running && dataRole === 'primary' && pick(2) === 1,
    syncStandby: pick(2) === 1 ? (PEERS[pick(3)]?.id ?? null) : null,
    upstream: pick(2) === 1 ? (PEERS[pick(3)]?.id ?? null) : null,
    streaming: pick(2) === 1,
    walLsn: lsns[pick(lsns.length)] ?? '0/0',
    replayLsn: lsns[pick(lsns.length)] ?? '0/0',
  };
}

/** A plausible answer to an outstanding action (success or one of its failure modes). */
function answer(action: Action, pick: (n: number) => number, version: number): Observation | null {
  const fail = pick(4) === 0;
  switch (action.kind) {
    case 'register':
      return fail ? { kind: 'coordOpFailed', opId: action.opId, error: 'x' } : { kind: 'registerOk', opId: action.opId, seq: 10 + pick(5) };
    case 'unregister':
      return fail ? { kind: 'coordOpFailed', opId: action.opId, error: 'x' } : { kind: 'unregisterOk', opId: action.opId };
    case 'readCoordination':
      return { kind: 'coordSnapshot', opId: action.opId, cluster: { kind: 'present', version, data: randomState(pick, 1 + pick(4)) }, active: active(...[1, 2, 3].filter(() => pick(3) > 0)) };
    case 'writeClusterState':
      return [
        { kind: 'stateWriteOk', opId: action.opId, version: version + 1 } as const,
        { kind: 'stateWriteConflict', opId: action.opId } as const,
        { kind: 'stateWriteError', opId: action.opId, error: 'timeout' } as const,
      ][pick(3)] ?? null;
    case 'fetchPgStatus':
      return { kind: 'pgStatus', opId: action.opId, status: randomStatus(pick) };
    case 'checkStorage':
      return { kind: 'storageChecked', opId: action.opId, result: fail ? { kind: 'notAnswering', error: 'x' } : { kind: 'answered' } };
    case 'fetchReplicationStatus':
      return fail
        ? { kind: 'pgOpFailed', opId: action.opId, error: 'x' }
        : { kind: 'replicationStatus', opId: action.opId, status: { currentLsn: '0/3000060', standbys: PEERS.map((p) => ({ id: p.id, sentLsn: '0/3000060', flushLsn: pick(2) === 1 ? '0/3000060' : '0/3000000', replayLsn: '0/3000000' })) } };
    case 'startPg':
    case 'stopPg':
    case 'rebuildData':
    case 'promotePg':
    case 'reconfigurePg':
      return fail ? { kind: 'pgOpFailed', opId: action.opId, error: 'x' } : { kind: 'pgOpOk', opId: action.opId };
    case 'setTimer':
      return { kind: 'timerFired', timer: action.timer, token: action.token };
    case 'cancelTimer':
    case 'exit':
    case 'log':
      return null;
  }
}

function external(pick: (n: number) => number, version: number): Observation {
  const options: Observation[] = [
    { kind: 'sessionConnected' },
    { kind: 'sessionDisconnected' },
    { kind: 'sessionExpired' },
    { kind: 'activeListChanged', active: active(...[1, 2, 3].filter(() => pick(3) > 0)) },
    { kind: 'clusterStateChanged', cluster: { kind: 'present', version, data: randomState(pick, 1 + pick(4)) } },
    { kind: 'clusterStateChanged', cluster: { kind: 'present', version, data: { nonsense: true } } },
    { kind: 'pgStatus', opId: null, status: randomStatus(pick) },
  ];
  // A shutdown ends the run, so it is rare.
  if (pick(60) === 0) return { kind: 'shutdownRequested' };
  return options[pick(options.length)] ?? { kind: 'sessionConnected' };
}

const PG_KINDS = new Set(['startPg', 'stopPg', 'promotePg', 'reconfigurePg', 'fetchPgStatus', 'fetchReplicationStatus']);
const COORD_KINDS = new Set(['register', 'unregister', 'readCoordination', 'writeClusterState']);

describe('decide() under arbitrary observation sequences', () => {
  it('never runs two PostgreSQL operations or two coordination operations at once, and writes only sound states', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 100, maxLength: 600 }), fc.integer({ min: 1, max: 3 }), (randoms, selfNumber) => {
        let cursor = 0;
        const pick = (n: number): number => (randoms[cursor++ % randoms.length] ?? 0) % n;
        const driver = new Driver(peer(selfNumber));
        const outstanding: Action[] = [];
        let version = 0;
        const apply = (observation: Observation): void => {
          for (const action of driver.feed(observation)) {
            if (PG_KINDS.has(action.kind)) expect(outstanding.filter((o) => PG_KINDS.has(o.kind)), 'second PostgreSQL operation').toEqual([]);
            if (COORD_KINDS.has(action.kind)) expect(outstanding.filter((o) => COORD_KINDS.has(o.kind)), 'second coordination operation').toEqual([]);
            if (action.kind === 'writeClusterState') {
              expect(ClusterStateSchema.safeParse(action.state).success).toBe(true);
              expect(checkInvariants(action.state)).toEqual([]);
            }
            if (action.kind === 'log') expect(action.sentence).toMatch(/^[A-Z][^\n]*[.:]$/);
            if (action.kind !== 'log' && action.kind !== 'cancelTimer' && action.kind !== 'exit') outstanding.push(action);
          }
        };
        apply({ kind: 'start' });
        for (let step = 0; step < 150 && !driver.state.exited; step += 1) {
          version += pick(2);
          const index = outstanding.length > 0 && pick(3) > 0 ? pick(outstanding.length) : -1;
          const action = index >= 0 ? outstanding.splice(index, 1)[0] : undefined;
          const observation = action === undefined ? external(pick, version) : answer(action, pick, version);
          if (observation !== null) apply(observation);
          // A session expiry abandons coordination results: the runner never delivers them.
          if (observation?.kind === 'sessionExpired') outstanding.splice(0, outstanding.length, ...outstanding.filter((o) => !COORD_KINDS.has(o.kind)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
