// Executes a sitter's actions against the simulated world and schedules the observations that report their results
// (the real runner replaces exactly this module).
import type { Action, PgTarget, ReplicationStatus } from '../../src/fsm/index.js';
import type { SimPg } from './pg.js';
import type { SimSitter } from './sitter.js';
import type { World } from './world.js';

function coordinationAction(world: World, sitter: SimSitter, action: Extract<Action, { opId: number }>): boolean {
  const coord = world.coord;
  const failed = (error: string) => ({ kind: 'coordOpFailed', opId: action.opId, error }) as const;
  switch (action.kind) {
    case 'register':
      coord.request(sitter, (sessionId) => ({ kind: 'registerOk', opId: action.opId, seq: coord.register(sitter.self, sessionId) }), failed);
      return true;
    case 'unregister':
      coord.request(sitter, (sessionId) => {
        coord.unregister(sitter.self.id, sessionId);
        return { kind: 'unregisterOk', opId: action.opId };
      }, failed);
      return true;
    case 'readCoordination':
      coord.request(sitter, () => ({ kind: 'coordSnapshot', opId: action.opId, cluster: coord.clusterData(), active: coord.activeEntries() }), failed);
      return true;
    case 'writeClusterState':
      coord.request(
        sitter,
        () => {
          const outcome = coord.write(sitter.peerIndex, action.mode, action.expectedVersion, action.state);
          return outcome.ok
            ? { kind: 'stateWriteOk', opId: action.opId, version: outcome.version }
            : { kind: 'stateWriteConflict', opId: action.opId };
        },
        (error) => ({ kind: 'stateWriteError', opId: action.opId, error }),
      );
      return true;
    default:
      return false;
  }
}

/** A PostgreSQL operation completes after its latency, unless the peer went down meanwhile. */
function pgOperation(world: World, sitter: SimSitter, opId: number, latency: readonly [number, number], run: (pg: SimPg) => string | null): void {
  world.queue.after(world.rng.between(latency), () => {
    const peer = world.peers[sitter.peerIndex];
    if (peer === undefined || !peer.alive || !sitter.alive) return;
    const error = run(peer.pg);
    sitter.deliver(error === null ? { kind: 'pgOpOk', opId } : { kind: 'pgOpFailed', opId, error });
  });
}

function replicationStatus(world: World, peerIndex: number): ReplicationStatus {
  const pg = world.pgOf(peerIndex);
  const self = world.peerId(peerIndex);
  const standbys = world.peers
    .filter((peer) => peer.alive && peer.pg.running && peer.pg.upstream === self && peer.pg.streaming)
    .map((peer) => ({
      id: peer.peer.id,
      sentLsn: world.lsn(peer.pg.wal.length),
      flushLsn: world.lsn(peer.pg.flushLen),
      replayLsn: world.lsn(peer.pg.replayLen),
    }));
  return { currentLsn: world.lsn(pg.wal.length), standbys };
}

function postgresAction(world: World, sitter: SimSitter, action: Action): boolean {
  const timing = world.timing;
  switch (action.kind) {
    case 'startPg':
      pgOperation(world, sitter, action.opId, timing.pgStartMs, (pg) => pg.start(action.target, world.queue.nowMs));
      return true;
    case 'stopPg':
      pgOperation(world, sitter, action.opId, timing.pgStopMs, (pg) => {
        pg.stop();
        return null;
      });
      return true;
    case 'promotePg':
      pgOperation(world, sitter, action.opId, timing.pgPromoteMs, (pg) => world.promote(sitter.peerIndex, pg));
      return true;
    case 'reconfigurePg':
      pgOperation(world, sitter, action.opId, timing.pgReconfigureMs, (pg) => reconfigure(pg, action.target));
      return true;
    case 'fetchPgStatus':
      world.queue.after(world.rng.between(timing.pgQueryMs), () => {
        if (world.peers[sitter.peerIndex]?.alive === true) sitter.deliver({ kind: 'pgStatus', opId: action.opId, status: world.pgStatus(sitter.peerIndex) });
      });
      return true;
    case 'fetchReplicationStatus':
      world.queue.after(world.rng.between(timing.pgQueryMs), () => {
        const pg = world.pgOf(sitter.peerIndex);
        if (world.peers[sitter.peerIndex]?.alive !== true) return;
        if (!pg.running || pg.dataRole !== 'primary') sitter.deliver({ kind: 'pgOpFailed', opId: action.opId, error: 'not a running primary' });
        else sitter.deliver({ kind: 'replicationStatus', opId: action.opId, status: replicationStatus(world, sitter.peerIndex) });
      });
      return true;
    default:
      return false;
  }
}

function reconfigure(pg: SimPg, target: PgTarget): string | null {
  return pg.reconfigure(target);
}

export function execute(world: World, sitter: SimSitter, action: Action): void {
  switch (action.kind) {
    case 'setTimer':
      world.queue.after(action.delayMs, () => {
        if (!sitter.cancelledTimers.delete(action.token)) sitter.deliver({ kind: 'timerFired', timer: action.timer, token: action.token });
      });
      return;
    case 'cancelTimer':
      sitter.cancelledTimers.add(action.token);
      return;
    case 'exit':
      world.sitterExited(sitter);
      return;
    case 'log':
      world.recordLog(sitter, action);
      return;
    default:
      if (!coordinationAction(world, sitter, action) && !postgresAction(world, sitter, action)) {
        throw new TypeError(`the simulator cannot execute ${action.kind}`);
      }
  }
}
