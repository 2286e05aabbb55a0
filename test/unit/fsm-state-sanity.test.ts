// A cluster state whose generation goes back below one already seen, or is absurd, is refused: logged, no action.
import { describe, expect, it } from 'vitest';
import type { Action, ClusterStateData } from '../../src/fsm/index.js';
import { MAX_GENERATION, type ClusterState } from '../../src/schema/index.js';
import { active, connected, Driver, peer } from './fsm-driver.js';

const stateAt = (generation: number): ClusterState => ({ generation, primary: peer(1), sync: peer(2), async: [peer(3)], deposed: [], initWal: '0/0' });
const present = (version: number, data: unknown): ClusterStateData => ({ kind: 'present', version, data });
/** Actions that would change something: anything but timers, logs and reads/probes. */
const acting = (actions: readonly Action[]): Action[] => actions.filter((action) => !['setTimer', 'log', 'fetchPgStatus', 'checkStorage', 'readCoordination'].includes(action.kind));
const warnings = (actions: readonly Action[]): string[] =>
  actions.flatMap((action) => (action.kind === 'log' && action.level === 'warn' ? [action.sentence] : []));

/** The sync of generation 5, already acting on it. */
function syncAtGeneration5(): Driver {
  const driver = new Driver(peer(2));
  connected(driver, active(1, 2, 3), present(10, stateAt(5)));
  expect(driver.state.coord.cluster.kind).toBe('valid');
  expect(driver.state.coord.highestGeneration).toBe(5);
  return driver;
}

describe('cluster state sanity', () => {
  it('refuses a newer version whose generation is below one already seen, says why, and does nothing', () => {
    const driver = syncAtGeneration5();
    const actions = driver.feed({ kind: 'clusterStateChanged', cluster: present(11, { ...stateAt(4), primary: peer(2), sync: peer(3), async: [] }) });
    expect(acting(actions)).toEqual([]);
    expect(driver.state.coord.cluster).toMatchObject({ kind: 'invalid', version: 11 });
    expect(warnings(actions)).toEqual(['Refused the cluster state at version 11 (generation 4 is behind generation 5, which this sitter has already seen): taking no action on it.']);
    expect(driver.state.waitingReason).toMatch(/^The cluster state is invalid \(generation 4 is behind generation 5, which this sitter has already seen\)/);
    expect(driver.state.coord.highestGeneration).toBe(5);
  });

  it('takes a later state again once its generation is not behind', () => {
    const driver = syncAtGeneration5();
    driver.feed({ kind: 'clusterStateChanged', cluster: present(11, stateAt(3)) });
    expect(driver.state.coord.cluster.kind).toBe('invalid');
    driver.feed({ kind: 'clusterStateChanged', cluster: present(12, { ...stateAt(5), async: [] }) });
    expect(driver.state.coord.cluster).toMatchObject({ kind: 'valid', version: 12 });
    driver.feed({ kind: 'clusterStateChanged', cluster: present(13, stateAt(6)) });
    expect(driver.state.coord.highestGeneration).toBe(6);
  });

  it('refuses absurd generations: above 2^40, MAX_SAFE_INTEGER, not an integer', () => {
    for (const generation of [MAX_GENERATION + 1, Number.MAX_SAFE_INTEGER, 2 ** 60, 5.5]) {
      const driver = syncAtGeneration5();
      const actions = driver.feed({ kind: 'clusterStateChanged', cluster: present(11, stateAt(generation)) });
      expect(acting(actions)).toEqual([]);
      expect(driver.state.coord.cluster.kind).toBe('invalid');
      expect(warnings(actions)).toHaveLength(1);
      expect(warnings(actions)[0]).toMatch(/^Refused the cluster state at version 11 \(generation: /);
      expect(driver.state.coord.highestGeneration).toBe(5);
    }
    const limit = syncAtGeneration5();
    limit.feed({ kind: 'clusterStateChanged', cluster: present(11, stateAt(MAX_GENERATION)) });
    expect(limit.state.coord.cluster.kind).toBe('valid');
  });

  it('refuses an absurd generation on a fresh sitter, before any generation was seen', () => {
    const driver = new Driver(peer(2));
    connected(driver, active(1, 2, 3), present(10, stateAt(Number.MAX_SAFE_INTEGER)));
    expect(driver.state.coord.cluster.kind).toBe('invalid');
    expect(acting(driver.actions).map((action) => action.kind)).toEqual(['register']);
    expect(warnings(driver.actions).join('\n')).toMatch(/generation: must be at most 2\^40 \(1099511627776\)/);
  });
});
