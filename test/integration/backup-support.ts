// Shared pieces for the backup integration tests (and bench/bootstrap): data files, hashes, daemons, zfs process checks.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { spawnTracked } from '../helpers/processes.js';
import { dugongCommand } from '../helpers/dugong-command.js';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const SECRET = 'integration-secret-0123456789-abcdefghij';

/** Incompressible data, written in 1 MiB pieces so the test process never holds it all. */
export async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (let written = 0; written < bytes; written += 1024 * 1024) await file.write(randomBytes(Math.min(1024 * 1024, bytes - written)));
  } finally {
    await file.close();
  }
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Hashes of every file in a directory (not recursive), by name. */
export function directoryHashes(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((name) => [name, sha256(join(dir, name))]));
}

/** Starts a Dugong daemon (`<name> -f <config>`, see dugongCommand), its output appended to logPath. */
export function startDaemon(name: 'backupserver' | 'snapshotter', configPath: string, logPath: string): ChildProcess {
  const out = openSync(logPath, 'a');
  const daemon = dugongCommand(name);
  const child = spawnTracked(`dugong-${name}`, daemon.command, [...daemon.args, '-f', configPath], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  return child;
}

export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000, stepMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
}

export async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

/** Running zfs CLI processes (anyone's children) with an argument naming `needle` or something below it. */
export function zfsProcessesNaming(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const [command, ...args] = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (command?.endsWith('zfs') === true && args.some((arg) => arg === needle || arg.startsWith(`${needle}/`) || arg.startsWith(`${needle}@`))) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}
