// Runs dugong-adm against a real test shard: in-process (captured output) or as a real process (node --import tsx src/cmd/adm.ts).
import { execFile } from 'node:child_process';
import { runAdm } from '../../src/adm/program.js';
import type { TestShard } from '../helpers/shard.js';
import { dugongCommand } from '../helpers/dugong-command.js';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface AdmResult {
  readonly status: number | null;
  readonly out: string;
  readonly err: string;
}

/** With the shard's credential unless `auth` is false: changes need it, reads ignore it. */
function targetArgs(shard: TestShard, auth = true): string[] {
  return ['-z', shard.zk.connectString, '-s', shard.shardPath, ...(auth ? ['--auth-file', shard.zkAuthFile] : [])];
}

export async function admInProcess(shard: TestShard, args: readonly string[], auth = true): Promise<AdmResult> {
  let out = '';
  let err = '';
  const status = await runAdm([...targetArgs(shard, auth), ...args], { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
  return { status, out, err };
}

/** The composition root as an operator runs it (see dugongCommand: source, or tools/test's fresh build). */
export function admProcess(shard: TestShard, args: readonly string[]): Promise<AdmResult> {
  const adm = dugongCommand('adm');
  return new Promise((resolve) => {
    execFile(adm.command, [...adm.args, ...targetArgs(shard), ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error === null ? 0 : typeof error.code === 'number' ? error.code : null, out: stdout, err: stderr });
    });
  });
}

export function parseJson<T>(result: AdmResult): T {
  try {
    return JSON.parse(result.out) as T;
  } catch {
    throw new Error(`not JSON (exit ${result.status}): ${result.out}\n${result.err}`);
  }
}

export interface ShowPeer {
  readonly role: string;
  readonly id: string;
  readonly zoneId: string;
  readonly registered: boolean;
  readonly pg: string;
  readonly replState: string | null;
  readonly syncState: string | null;
  readonly lagBytes: number | null;
}

export interface ShowJson {
  readonly generation: number;
  readonly mode: string;
  readonly freeze: { reason: string } | null;
  readonly peers: readonly ShowPeer[];
  readonly problems: ReadonlyArray<{ severity: string; message: string }>;
}

/** zone id (peer1, peer2, ...) → role, from `show --json`. */
export function rolesByZone(show: ShowJson): Record<string, string> {
  return Object.fromEntries(show.peers.map((peer) => [peer.zoneId, peer.role]));
}
