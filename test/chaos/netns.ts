// The chaos run's private network: a router namespace (the runner), a ZooKeeper namespace and one namespace per peer, joined by veth pairs.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Every name starts with this prefix and a 4-character tag, so a later run can find leftovers of a crashed one. */
export const NETNS_PREFIX = 'dgc';
const SUBNET = '10.211';
export const SUBNET_CIDR = `${SUBNET}.0.0/16`;
const ZK_LINK = 9;

export interface ChaosNet {
  readonly tag: string;
  readonly hubNs: string;
  readonly zkNs: string;
  readonly zkIp: string;
  readonly peerNs: readonly string[];
  readonly peerIps: readonly string[];
  /** All namespaces of this run, hub last (the runner lives there). */
  readonly namespaces: readonly string[];
}

export function describeNet(tag: string, peers: number): ChaosNet {
  const peerNs = Array.from({ length: peers }, (_, i) => `${tag}-p${i + 1}`);
  const peerIps = Array.from({ length: peers }, (_, i) => `${SUBNET}.${i + 1}.2`);
  const hubNs = `${tag}-hub`;
  const zkNs = `${tag}-zk`;
  return { tag, hubNs, zkNs, zkIp: `${SUBNET}.${ZK_LINK}.2`, peerNs, peerIps, namespaces: [zkNs, ...peerNs, hubNs] };
}

async function ip(args: readonly string[]): Promise<void> {
  await run('ip', [...args], { timeout: 10_000 });
}

/** The router's veth for link `n` (peers 1..N, ZooKeeper 9): interface names may not exceed 15 characters. */
function hubIf(net: ChaosNet, link: number): string {
  return `${net.tag}h${link}`;
}

async function addLink(net: ChaosNet, ns: string, link: number): Promise<void> {
  const hubSide = hubIf(net, link);
  await ip(['link', 'add', hubSide, 'netns', net.hubNs, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
  await ip(['-n', net.hubNs, 'addr', 'add', `${SUBNET}.${link}.1/24`, 'dev', hubSide]);
  await ip(['-n', net.hubNs, 'link', 'set', hubSide, 'up']);
  await ip(['-n', ns, 'addr', 'add', `${SUBNET}.${link}.2/24`, 'dev', 'eth0']);
  await ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
  await ip(['-n', ns, 'route', 'add', 'default', 'via', `${SUBNET}.${link}.1`]);
}

/** Creates the namespaces and links; the hub forwards between them (a partition is a routing rule there). */
export async function createNet(net: ChaosNet): Promise<void> {
  for (const ns of net.namespaces) {
    await ip(['netns', 'add', ns]);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
  }
  await addLink(net, net.zkNs, ZK_LINK);
  for (const [index, ns] of net.peerNs.entries()) await addLink(net, ns, index + 1);
  await run('ip', ['netns', 'exec', net.hubNs, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'], { timeout: 10_000 });
}

/** [command, args] that runs `command` with only its network namespace switched (no private mount namespace: ZFS mounts stay visible). */
export function inNamespace(ns: string, command: string, args: readonly string[]): [string, string[]] {
  return ['nsenter', [`--net=/run/netns/${ns}`, '--', command, ...args]];
}

function partitionRules(net: ChaosNet, peerIndex: number): string[][] {
  const peerIp = net.peerIps[peerIndex] ?? '';
  const own = hubIf(net, peerIndex + 1);
  const others = [ZK_LINK, ...net.peerNs.map((_, i) => i + 1).filter((link) => link !== peerIndex + 1)].map((link) => hubIf(net, link));
  // Packets the router would forward are dropped; those for the router itself (the runner's probes) still arrive.
  return [['from', peerIp, 'iif', own, 'blackhole'], ...others.map((other) => ['to', peerIp, 'iif', other, 'blackhole'])];
}

/** Cuts the peer off from ZooKeeper and the other peers (both directions); the runner in the hub still sees it. */
export async function isolatePeer(net: ChaosNet, peerIndex: number): Promise<void> {
  for (const rule of partitionRules(net, peerIndex)) await ip(['-n', net.hubNs, 'rule', 'add', ...rule]);
}

export async function rejoinPeer(net: ChaosNet, peerIndex: number): Promise<void> {
  for (const rule of partitionRules(net, peerIndex)) await ip(['-n', net.hubNs, 'rule', 'del', ...rule]).catch(() => undefined);
}

export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list'], { timeout: 10_000 });
  return stdout.split('\n').map((line) => line.split(' ')[0] ?? '').filter((name) => name !== '');
}

/** PIDs of every process inside a namespace (ours: nothing else ever enters it). */
export async function namespacePids(ns: string): Promise<number[]> {
  const result = await run('ip', ['netns', 'pids', ns], { timeout: 10_000 }).catch(() => ({ stdout: '' }));
  return result.stdout.split('\n').map(Number).filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** Deleting a namespace also deletes the veth ends inside it, and with them their peers. */
export async function deleteNamespace(ns: string): Promise<void> {
  await ip(['netns', 'del', ns]).catch(() => undefined);
}
