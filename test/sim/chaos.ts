// Faults drawn from the seed during the safety phase; each fault schedules its own end, and heal() ends them all.
import { freeze, requestPromote, requestShutdown, unfreeze } from './operator.js';
import type { World } from './world.js';

type Fault = (world: World, index: number) => void;

const crashPeer: Fault = (world, index) => {
  world.crashPeer(index);
  world.queue.after(world.rng.int(300, 6000), () => world.restartPeer(index));
};

const restartSitter: Fault = (world, index) => {
  world.killSitter(index);
  world.queue.after(world.rng.int(50, 800), () => world.startSitter(index));
};

/** PostgreSQL dies; sometimes it cannot come back for longer than the primary's restart budget. */
const crashPg: Fault = (world, index) => {
  const pg = world.pgOf(index);
  if (!pg.running) return;
  pg.crash();
  if (world.rng.chance(0.4)) pg.startBlockedUntilMs = world.queue.nowMs + world.rng.int(500, world.fsmConfig.pgRestartBudgetMs * 2 + 2000);
};

const expireSession: Fault = (world, index) => world.coord.forceExpire(index);

const partitionFromCoordinator: Fault = (world, index) => {
  world.net.coordLink[index] = false;
  world.coord.refresh(index);
  world.queue.after(world.rng.int(200, 8000), () => {
    world.net.coordLink[index] = true;
    world.coord.refresh(index);
  });
};

const partitionFromPeer: Fault = (world, index) => {
  const other = world.rng.int(0, world.peers.length - 1);
  if (other === index) return;
  world.net.setPeerLink(index, other, false);
  world.queue.after(world.rng.int(200, 5000), () => world.net.setPeerLink(index, other, true));
};

/** Cut off from everything: coordinator and all peers (a network partition of one machine). */
const isolate: Fault = (world, index) => {
  const others = world.peers.map((peer) => peer.index).filter((other) => other !== index);
  world.net.coordLink[index] = false;
  for (const other of others) world.net.setPeerLink(index, other, false);
  world.coord.refresh(index);
  world.queue.after(world.rng.int(500, 8000), () => {
    world.net.coordLink[index] = true;
    for (const other of others) world.net.setPeerLink(index, other, true);
    world.coord.refresh(index);
  });
};

const slowCatchUp: Fault = (world, index) => {
  world.pgOf(index).slowUntilMs = world.queue.nowMs + world.rng.int(1000, 8000);
};

/** The peer's storage stops answering for a while, often longer than the stall budget. */
const stallStorage: Fault = (world, index) => {
  world.pgOf(index).storageStalledUntilMs = world.queue.nowMs + world.rng.int(500, world.fsmConfig.storageStallBudgetMs * 3 + 2000);
};

const coordinationOutage: Fault = (world) => {
  if (world.net.outage) return;
  world.net.outage = true;
  world.coord.outageStarted();
  world.queue.after(world.rng.int(500, 6000), () => {
    if (!world.net.outage) return;
    world.net.outage = false;
    world.coord.outageEnded();
  });
};

const operatorFreeze: Fault = (world) => {
  if (freeze(world, 'simulated maintenance')) world.queue.after(world.rng.int(1000, 6000), () => unfreeze(world));
};

const operatorPromote: Fault = (world) => {
  const asyncs = world.coord.stored?.state.async.length ?? 0;
  if (asyncs > 0 && world.rng.chance(0.5)) requestPromote(world, 'async', world.rng.int(0, asyncs - 1));
  else requestPromote(world, 'sync');
};

const gracefulShutdown: Fault = (world, index) => {
  requestShutdown(world, index);
  world.queue.after(world.rng.int(1500, 6000), () => {
    if (world.peers[index]?.sitter?.alive !== true) world.startSitter(index);
  });
};

const FAULTS: ReadonlyArray<readonly [number, Fault]> = [
  [2, crashPeer],
  [1, restartSitter],
  [2, crashPg],
  [1, expireSession],
  [2, partitionFromCoordinator],
  [2, partitionFromPeer],
  [1, isolate],
  [1, slowCatchUp],
  [1, stallStorage],
  [1, coordinationOutage],
  [0.7, operatorFreeze],
  [1.2, operatorPromote],
  [0.6, gracefulShutdown],
];

export class Chaos {
  private active = false;

  constructor(private readonly world: World) {}

  start(): void {
    this.active = true;
    this.scheduleNext();
  }

  stop(): void {
    this.active = false;
  }

  private scheduleNext(): void {
    this.world.queue.after(this.world.rng.int(300, 1500), () => {
      if (!this.active) return;
      const fault = this.world.rng.weighted(FAULTS);
      fault(this.world, this.world.rng.int(0, this.world.peers.length - 1));
      this.scheduleNext();
    });
  }
}
