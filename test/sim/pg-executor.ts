// The simulated runner's PostgreSQL executor: operations and probes against the peer's simulated PostgreSQL, after their latency.
import type { ReplicationStatus } from '../../src/fsm/index.js';
import type { PgAction } from '../../src/runtime/pg-effects.js';
import type { Executor, Report } from '../../src/runtime/runner.js';
import type { SimPg } from './pg.js';
import type { SimSitter } from './sitter.js';
import type { World } from './world.js';

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

export class SimPgExecutor implements Executor<PgAction> {
  constructor(
    private readonly world: World,
    private readonly sitter: SimSitter,
  ) {}

  run(action: PgAction, report: Report): void {
    const { world, sitter } = this;
    const timing = world.timing;
    switch (action.kind) {
      case 'startPg':
        this.operation(action.opId, timing.pgStartMs, report, (pg) => pg.start(action.target, world.queue.nowMs));
        return;
      case 'stopPg':
        this.operation(action.opId, timing.pgStopMs, report, (pg) => {
          // An immediate shutdown does not flush what a standby received: as a crash does.
          if (action.mode === 'immediate') pg.crash();
          else pg.stop();
          return null;
        });
        return;
      case 'rebuildData':
        this.operation(action.opId, timing.pgStartMs, report, (pg) => {
          const source = world.peerById(action.source.id);
          if (source === undefined || !source.alive || !source.pg.running) return `the backup server of ${action.source.id} does not answer`;
          return pg.rebuildFrom(source.pg);
        });
        return;
      case 'promotePg':
        this.operation(action.opId, timing.pgPromoteMs, report, (pg) => world.promote(sitter.peerIndex, pg));
        return;
      case 'reconfigurePg':
        this.operation(action.opId, timing.pgReconfigureMs, report, (pg) => pg.reconfigure(action.target));
        return;
      case 'fetchPgStatus':
        this.query(report, () => ({ kind: 'pgStatus', opId: action.opId, status: world.pgStatus(sitter.peerIndex) }));
        return;
      case 'fetchReplicationStatus':
        this.query(report, (pg) =>
          pg.running && pg.dataRole === 'primary'
            ? { kind: 'replicationStatus', opId: action.opId, status: replicationStatus(world, sitter.peerIndex) }
            : { kind: 'pgOpFailed', opId: action.opId, error: 'not a running primary' },
        );
        return;
      default:
        assertNever(action);
    }
  }

  /** The peer's PostgreSQL, or null when the peer or this sitter process is gone (then nothing is reported). */
  private livePg(): SimPg | null {
    const peer = this.world.peers[this.sitter.peerIndex];
    return peer !== undefined && peer.alive && this.sitter.alive ? peer.pg : null;
  }

  /** An operation completes after its latency, unless the peer went down meanwhile. */
  private operation(opId: number, latency: readonly [number, number], report: Report, apply: (pg: SimPg) => string | null): void {
    this.world.queue.after(this.world.rng.between(latency), () => {
      const pg = this.livePg();
      if (pg === null) return;
      const error = apply(pg);
      report(error === null ? { kind: 'pgOpOk', opId } : { kind: 'pgOpFailed', opId, error });
    });
  }

  private query(report: Report, answer: (pg: SimPg) => Parameters<Report>[0]): void {
    this.world.queue.after(this.world.rng.between(this.world.timing.pgQueryMs), () => {
      const pg = this.livePg();
      if (pg !== null) report(answer(pg));
    });
  }
}

function assertNever(value: never): never {
  throw new TypeError(`the simulator cannot execute ${JSON.stringify(value)}`);
}
