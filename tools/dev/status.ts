// Prints the dev shard's topology from each sitter's status API; with --wait, waits for primary + sync + async.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

interface PeerView {
  readonly name: string;
  readonly url: string;
  readonly role: string;
  readonly generation: number | null;
  readonly healthy: boolean;
  readonly waiting: string | null;
}

async function readPeer(name: string, url: string): Promise<PeerView> {
  try {
    const response = await fetch(`${url}/state`, { signal: AbortSignal.timeout(1_000) });
    const state = (await response.json()) as { role: string; generation: number | null; pg: { healthy: boolean }; waitingReason: string | null };
    return { name, url, role: state.role, generation: state.generation, healthy: state.pg.healthy, waiting: state.waitingReason };
  } catch {
    return { name, url, role: 'unreachable', generation: null, healthy: false, waiting: null };
  }
}

function sitterUrls(root: string): Array<[string, string]> {
  return readdirSync(root)
    .filter((entry) => /^sitter\d+$/.test(entry))
    .sort()
    .map((entry) => {
      const config = JSON.parse(readFileSync(join(root, entry, 'sitter.json'), 'utf8')) as { statusApi: { host: string; port: number } };
      return [entry, `http://${config.statusApi.host}:${config.statusApi.port}`];
    });
}

function complete(peers: readonly PeerView[]): boolean {
  const healthyRoles = peers.filter((p) => p.healthy).map((p) => p.role);
  return ['primary', 'sync', 'async'].every((role) => healthyRoles.includes(role));
}

function print(peers: readonly PeerView[]): void {
  console.log('PEER      ROLE         GEN  PG        STATUS API              WAITING FOR');
  for (const p of peers) {
    const pg = p.healthy ? 'ok' : 'down';
    console.log(`${p.name.padEnd(9)} ${p.role.padEnd(12)} ${String(p.generation ?? '-').padEnd(4)} ${pg.padEnd(9)} ${p.url.padEnd(23)} ${p.waiting ?? ''}`);
  }
}

async function main(): Promise<void> {
  const [root = 'devconfs', flag, seconds] = process.argv.slice(2);
  const waitMs = flag === '--wait' ? Number(seconds ?? '120') * 1000 : 0;
  const deadline = Date.now() + waitMs;
  let peers = await Promise.all(sitterUrls(root).map(([name, url]) => readPeer(name, url)));
  while (waitMs > 0 && !complete(peers) && Date.now() < deadline) {
    await sleep(1_000);
    peers = await Promise.all(sitterUrls(root).map(([name, url]) => readPeer(name, url)));
  }
  print(peers);
  if (waitMs > 0 && !complete(peers)) {
    console.error(`the shard did not reach primary + sync + async within ${waitMs / 1000} s; see ${root}/sitterN/sitter.log`);
    process.exitCode = 1;
  }
}

await main();
