// The fault loop: wait for a healthy shard (rebuilding deposed peers), inject the next planned fault, hold it, heal it.
import { assess, observe, peerById, type Health } from './health.js';
import { inject } from './faults.js';
import { sitterAlive, startSitter, type ChaosPeer } from './peers.js';
import { pruneIsolated, rebuildPeer } from './rebuild.js';
import type { PlannedFault } from './schedule.js';
import type { ChaosWorld } from './world.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A standby that is neither healthy nor restoring for this long gets the operator's rebuild. */
const STUCK_STANDBY_MS = 90_000;

export interface FaultRecord {
  readonly index: number;
  readonly kind: string;
  readonly target: string;
  readonly victim: string;
  readonly holdMs: number;
  readonly injectedAtMs: number;
  readonly healedAtMs: number;
  /** From the heal until primary + caught-up sync again; null if not reached before the next wait gave up. */
  recoveredMs: number | null;
  /** From the heal until fully healthy again (rebuilds included). */
  healthyMs: number | null;
}

/** Standbys that need an operator: deposed ones at once, others after being stuck for STUCK_STANDBY_MS. */
function needsRebuild(world: ChaosWorld, view: Awaited<ReturnType<typeof observe>>, stuckSince: Map<string, number>): Array<[ChaosPeer, string]> {
  const state = view.state;
  const out: Array<[ChaosPeer, string]> = [];
  for (const peer of world.peers) {
    const s = view.snapshots.get(peer.name);
    const deposed = s?.role === 'deposed' || state?.deposed.some((d) => d.id === peer.id) === true;
    // Under `rebuild: auto` a deposed sitter copies itself back; the operator steps in only if it stays stuck.
    if (deposed && world.rebuild === 'manual') {
      out.push([peer, 'deposed']);
      continue;
    }
    const fine = s !== undefined && (s.pg.healthy || s.restore?.state === 'running' || s.role === 'primary');
    if (fine) stuckSince.delete(peer.name);
    else if (!stuckSince.has(peer.name)) stuckSince.set(peer.name, Date.now());
    if (Date.now() - (stuckSince.get(peer.name) ?? Date.now()) > STUCK_STANDBY_MS) out.push([peer, `unhealthy for ${STUCK_STANDBY_MS / 1000} s`]);
  }
  return out;
}

/** Waits up to limitMs for a fully healthy shard, acting as the operator; notes when primary + sync came back. */
export async function ensureHealthy(world: ChaosWorld, limitMs: number, onPrimaryAndSync?: () => void): Promise<Health> {
  const deadline = Date.now() + limitMs;
  const stuckSince = new Map<string, number>();
  // Rebuilds run beside the loop, so the moment primary + sync are back is still seen while a peer is rebuilt.
  const rebuilding = new Map<string, Promise<void>>();
  let health: Health = { primaryAndSync: false, full: false, why: 'not checked yet' };
  while (Date.now() < deadline) {
    for (const peer of world.peers) if (!rebuilding.has(peer.name) && !sitterAlive(peer)) startSitter(peer, world.codeDir);
    const view = await observe(world.peers);
    health = await assess(world.peers, view);
    if (health.primaryAndSync) onPrimaryAndSync?.();
    if (health.full) break;
    for (const [peer, reason] of needsRebuild(world, view, stuckSince)) {
      if (rebuilding.has(peer.name)) continue;
      stuckSince.delete(peer.name);
      const done = rebuildPeer(world, peer, reason)
        .catch((error: unknown) => world.timeline.add('error', `rebuild of ${peer.name} failed: ${String(error)}`))
        .finally(() => {
          rebuilding.delete(peer.name);
          // A fresh peer needs time to copy its data before it can count as stuck again.
          stuckSince.delete(peer.name);
        });
      rebuilding.set(peer.name, done);
    }
    await sleep(500);
  }
  await Promise.all(rebuilding.values());
  return health;
}

function victimOf(world: ChaosWorld, view: Awaited<ReturnType<typeof observe>>, fault: PlannedFault): ChaosPeer {
  const state = view.state;
  const id = fault.target === 'primary' ? state?.primary.id : fault.target === 'sync' ? state?.sync?.id : state?.async[0]?.id;
  const victim = peerById(world.peers, id) ?? world.peers[fault.index % world.peers.length];
  if (victim === undefined) throw new Error('a shard without peers');
  return victim;
}

/** One fault: inject, hold, heal, then wait for the shard to recover (recorded on the returned record). */
export async function runFault(world: ChaosWorld, fault: PlannedFault, waitLimitMs: number): Promise<FaultRecord> {
  const view = await observe(world.peers);
  const victim = victimOf(world, view, fault);
  const label = `#${fault.index + 1} ${fault.kind}`;
  const injectedAtMs = Date.now();
  // A fault that cannot be injected (e.g. a quota race) is recorded and skipped rather than ending the run.
  const injected = await inject(world, fault, victim).catch((error: unknown) => ({ what: `could not inject: ${String(error)}`, heal: async () => 'nothing to heal' }));
  world.timeline.add('fault', `${label} on the ${fault.target} ${victim.name}: ${injected.what}; hold ${fault.holdMs} ms`, fault.index);
  await sleep(fault.holdMs);
  const healed = await injected.heal();
  // Counted from when healing is done: restarting ZooKeeper's JVMs is the tool's time, not the shard's.
  const healedAtMs = Date.now();
  world.timeline.add('heal', `${label}: ${healed}`, fault.index);
  const record: FaultRecord = {
    index: fault.index, kind: fault.kind, target: fault.target, victim: victim.name, holdMs: fault.holdMs, injectedAtMs, healedAtMs, recoveredMs: null, healthyMs: null,
  };
  const health = await ensureHealthy(world, waitLimitMs, () => {
    record.recoveredMs ??= Date.now() - healedAtMs;
  });
  if (health.full) record.healthyMs = Date.now() - healedAtMs;
  await pruneIsolated(world).catch((error: unknown) => world.timeline.add('error', `housekeeping failed: ${String(error)}`));
  world.timeline.add(health.full ? 'wait' : 'error', `${label}: ${health.full ? `healthy again after ${record.healthyMs} ms` : `not healthy within ${waitLimitMs} ms: ${health.why}`}`, fault.index);
  return record;
}
