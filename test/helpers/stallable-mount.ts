// A FUSE mount that a test can pause: bindfs over a directory, so "the storage stops answering" hits one peer only.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { isAlive, spawnTracked, stopPid } from './processes.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function run(command: string, args: readonly string[], timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error) => resolve(error === null ? 0 : 1));
  });
}

function isMountpoint(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((line) => line.split(' ')[4] === path);
}

/**
 * While paused (SIGSTOP of the bindfs process), every file call under the mountpoint waits in the kernel, as on a
 * wedged zfs-fuse daemon or an OpenZFS pool suspended with failmode=wait. The calls are killable, so teardown ends.
 */
export class StallableMount {
  private constructor(
    readonly mountpoint: string,
    private readonly pid: number,
  ) {}

  /** Moves `dir`'s content aside to `<dir>.backing` and mounts it back at `dir` through bindfs. */
  static async over(dir: string): Promise<StallableMount> {
    const backing = `${dir}.backing`;
    renameSync(dir, backing);
    mkdirSync(dir);
    // -f: stay in the foreground, so the test holds its PID; allow_other: PostgreSQL runs as postgres.
    const child = spawnTracked(`bindfs ${dir}`, 'bindfs', ['-f', '-o', 'allow_other', backing, dir]);
    const pid = child.pid ?? 0;
    for (let i = 0; i < 100 && !isMountpoint(dir); i += 1) await sleep(50);
    if (!isMountpoint(dir)) throw new Error(`bindfs did not mount ${dir}`);
    return new StallableMount(dir, pid);
  }

  pause(): void {
    process.kill(this.pid, 'SIGSTOP');
  }

  resume(): void {
    if (isAlive(this.pid)) process.kill(this.pid, 'SIGCONT');
  }

  /** Resumes, unmounts (lazily if busy) and stops bindfs, within about 20 s whatever the callers do. */
  async remove(): Promise<void> {
    this.resume();
    if ((await run('fusermount', ['-u', this.mountpoint], 5_000)) !== 0) await run('umount', ['-l', this.mountpoint], 5_000);
    await stopPid(this.pid, 'SIGTERM', 5_000);
  }
}
