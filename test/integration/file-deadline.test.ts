// A file call on storage that stops answering fails with FILE_TIMEOUT within its deadline, and later calls still work.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileAsUser, runAsForServer, type RunAs } from '../../src/pg/index.js';
import { openLogAsUser } from '../../src/pg/user-files.js';
import { caught } from '../helpers/caught.js';
import { isAlive as alive } from '../helpers/processes.js';
import { makeScratchDir, type ScratchDir } from '../helpers/scratch.js';

const run = promisify(execFile);
const DEADLINE_MS = 500;

describe('file calls under a deadline', () => {
  let scratch: ScratchDir;
  let runAs: RunAs | undefined;
  let noReader: string;
  let noWriter: string;

  beforeAll(async () => {
    scratch = await makeScratchDir('file-deadline');
    runAs = await runAsForServer('postgres');
    // FIFOs nobody opens from the other side: opening one blocks, as any call on a hung mount does. Two of them,
    // so that a blocked writer and a blocked reader never meet and release each other.
    noReader = join(scratch.path, 'hung-write');
    noWriter = join(scratch.path, 'hung-read');
    await run('mkfifo', ['-m', '0666', noReader, noWriter]);
  });

  afterAll(async () => {
    await scratch.remove();
  });

  it('8 blocked calls fail with FILE_TIMEOUT within the deadline; the next call and the thread pool still work', async () => {
    const startedMs = performance.now();
    // Writers (append-open of the log: blocks without a reader) and readers (blocks without a writer), all at once.
    const blocked = Array.from({ length: 8 }, (_, i) =>
      caught(i % 2 === 0 ? openLogAsUser(noReader, { runAs, timeoutMs: DEADLINE_MS }) : readFileAsUser(noWriter, { runAs, timeoutMs: DEADLINE_MS })));
    const errors = await Promise.all(blocked);
    const elapsedMs = performance.now() - startedMs;
    for (const error of errors) expect(error.code, error.message).toBe('DUGONG_ERR_FILE_TIMEOUT');
    expect(elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(elapsedMs).toBeLessThan(DEADLINE_MS + 1_000);

    // Node's own fs calls share 4 pool threads: 8 stuck calls in-process would have taken them all.
    const plain = join(scratch.path, 'plain');
    await writeFile(plain, 'still answering\n', { mode: 0o644 });
    const afterMs = performance.now();
    expect(await readFile(plain, 'utf8')).toBe('still answering\n');
    expect(await readFileAsUser(plain, { runAs, timeoutMs: 5_000 })).toBe('still answering\n');
    expect(performance.now() - afterMs).toBeLessThan(1_000);

    // The helpers were killed (SIGKILL interrupts a FIFO open), not left behind.
    const pids = errors.map((error) => Number(error.details.pid));
    const gone = performance.now() + 5_000;
    while (pids.some(alive) && performance.now() < gone) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pids.filter(alive)).toEqual([]);
  });
});
