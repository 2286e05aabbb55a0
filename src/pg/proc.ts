// Linux /proc queries about other processes: alive (zombies count as gone), name, working directory, children.
import { readdir, readFile, readlink } from 'node:fs/promises';

interface ProcStat {
  readonly state: string;
  readonly ppid: number;
}

async function readStat(pid: number): Promise<ProcStat | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) S ppid ...": comm may contain spaces and parentheses, so split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', ppid: Number(fields[1]) };
  } catch {
    return null;
  }
}

/** A zombie has exited; only its parent's wait() is missing, so it counts as gone. */
export async function isProcessAlive(pid: number): Promise<boolean> {
  const stat = await readStat(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}

export async function isProcessStopped(pid: number): Promise<boolean> {
  const stat = await readStat(pid);
  return stat !== null && (stat.state === 'T' || stat.state === 't');
}

/** The kernel's short command name ("postgres" for the postmaster and all its children). */
export async function processName(pid: number): Promise<string | null> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
  } catch {
    return null;
  }
}

/** The postmaster and its children chdir into the data directory, which identifies the instance a PID belongs to. */
export async function processCwd(pid: number): Promise<string | null> {
  try {
    return await readlink(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

async function allPids(): Promise<number[]> {
  const entries = await readdir('/proc');
  return entries.filter((entry) => /^\d+$/.test(entry)).map(Number);
}

export async function childPids(parentPid: number): Promise<number[]> {
  const children: number[] = [];
  for (const pid of await allPids()) {
    const stat = await readStat(pid);
    if (stat?.ppid === parentPid && stat.state !== 'Z') children.push(pid);
  }
  return children;
}

/** Live processes called `name` whose working directory is `dir` (e.g. backends that outlived a killed postmaster). */
export async function pidsInDirectory(dir: string, name: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await allPids()) {
    if ((await processName(pid)) !== name) continue;
    if ((await processCwd(pid)) === dir && (await isProcessAlive(pid))) found.push(pid);
  }
  return found;
}

/** Sends a signal if the process still exists; false when it was already gone. */
export function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
