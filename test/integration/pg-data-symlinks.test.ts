// Links the postgres user plants in its directories never make the root sitter write, chown or disclose files outside them.
import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { systemClock } from '../../src/platform/clock.js';
import { createPostgresController, DEFAULT_HBA, ensureOwnedDir, readFileAsUser, type RunAs } from '../../src/pg/index.js';
import { readLogTail } from '../../src/pg/postmaster.js';
import { createStoragePreparer } from '../../src/runtime/storage.js';
import { caught } from '../helpers/caught.js';
import { PgCluster, type PgInstance } from '../helpers/postgres.js';

const run = promisify(execFile);
const NAMES = ['tmp', 'standby', 'dugong', 'postgresql', 'hba', 'log', 'pid', 'dir'] as const;
type Target = (typeof NAMES)[number];

interface Snapshot {
  readonly content: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

describe('symbolic links planted by the postgres user', () => {
  let cluster: PgCluster;
  let pg: PgInstance;
  let runAs: RunAs;
  let secrets: string;
  const before = new Map<Target, Snapshot>();
  const target = (name: Target): string => join(secrets, `${name}.secret`);

  /** As the postgres user, as an attacker with its rights would. */
  const plant = async (link: string, to: string): Promise<void> => {
    await run('ln', ['-sfn', to, link], { uid: runAs.uid, gid: runAs.gid });
  };
  const snapshot = async (path: string): Promise<Snapshot> => {
    const info = await stat(path);
    return { content: await readFile(path, 'utf8'), uid: info.uid, gid: info.gid, mode: info.mode };
  };

  beforeAll(async () => {
    cluster = await PgCluster.create('symlinks');
    if (cluster.runAs === undefined) throw new Error('this test runs as root, with PostgreSQL as the postgres user');
    runAs = cluster.runAs;
    pg = await cluster.fromTemplate('victim');
    // Root's files, like /etc/shadow: a directory postgres may search, files only root may read.
    secrets = await mkdtemp(join(tmpdir(), 'dugong-secrets-'));
    await run('chmod', ['0755', secrets]);
    for (const name of NAMES) {
      await writeFile(target(name), `SECRET-${name}\n`, { mode: 0o600 });
      before.set(name, await snapshot(target(name)));
    }
  });

  afterAll(async () => {
    await cluster.cleanup();
    await rm(secrets, { recursive: true, force: true });
  });

  it('role settings, pg_hba.conf and standby.signal replace the links; the temp-file name is never opened', async () => {
    const { controller, dataDir } = pg;
    await plant(join(dataDir, `dugong.conf.tmp-${process.pid}`), target('tmp'));
    await plant(join(dataDir, 'dugong.conf'), target('dugong'));
    await plant(join(dataDir, 'pg_hba.conf'), target('hba'));
    await plant(join(dataDir, 'standby.signal'), target('standby'));
    await controller.writeRoleSettings({ writable: true, syncStandbyName: null, upstream: null });
    await controller.writeHba(DEFAULT_HBA);
    await controller.setStandbySignal(true);
    for (const file of ['dugong.conf', 'pg_hba.conf', 'standby.signal']) {
      const info = await lstat(join(dataDir, file));
      expect(info.isFile(), file).toBe(true);
      expect(info.uid, file).toBe(runAs.uid);
    }
    expect(await readFile(join(dataDir, 'dugong.conf'), 'utf8')).toContain('default_transaction_read_only');
    // The planted temp-file link is still there, untouched (mktemp picks a fresh name with O_EXCL).
    expect((await lstat(join(dataDir, `dugong.conf.tmp-${process.pid}`))).isSymbolicLink()).toBe(true);
    await plant(join(dataDir, 'standby.signal'), target('standby'));
    await controller.setStandbySignal(false);
    await expect(lstat(join(dataDir, 'standby.signal'))).rejects.toThrow(/ENOENT/);
  });

  it('postgresql.conf and postmaster.pid pointing outside are refused, their targets not disclosed', async () => {
    const { controller, dataDir } = pg;
    await rm(join(dataDir, 'postmaster.pid'), { force: true });
    await plant(join(dataDir, 'postgresql.conf'), target('postgresql'));
    await plant(join(dataDir, 'postmaster.pid'), target('pid'));
    const conf = await caught(controller.writeRoleSettings({ writable: true, syncStandbyName: null, upstream: null }));
    expect(conf.code).toBe('DUGONG_ERR_FILE_FAILED');
    expect(conf.message).toMatch(/Permission denied/);
    const pid = await caught(controller.findLeftover());
    expect(pid.code).toBe('DUGONG_ERR_FILE_FAILED');
    const read = await caught(readFileAsUser(join(dataDir, 'postgresql.conf'), { runAs }));
    for (const error of [conf, pid, read]) expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('SECRET');
  });

  it('a log linked outside: the start is refused without opening it as root, and its tail is not read', async () => {
    await rm(join(pg.dataDir, 'postmaster.pid'), { force: true });
    await plant(pg.logFile, target('log'));
    const error = await caught(pg.controller.start({ timeoutMs: 10_000 }));
    expect(error.code).toBe('DUGONG_ERR_FILE_UNSAFE');
    expect(pg.controller.running()).toBeNull();
    expect(await readLogTail(pg.logFile, 0, runAs)).toBe('(no log)');
  });

  it('a data directory replaced by a link to a root directory is neither chowned nor written', async () => {
    const dataDir = join(cluster.scratch.path, 'planted-data');
    await plant(dataDir, secrets);
    const storage = createStoragePreparer({ kind: 'directory' }, dataDir, runAs, silentLogger());
    expect((await caught(storage.prepare())).code).toBe('DUGONG_ERR_FILE_UNSAFE');
    expect((await caught(ensureOwnedDir(dataDir, runAs, 0o700))).code).toBe('DUGONG_ERR_FILE_UNSAFE');
    const controller = createPostgresController({
      dataDir, port: pg.port, socketDir: cluster.scratch.path, logFile: pg.logFile, runAs, clock: systemClock, log: silentLogger(),
    });
    expect((await caught(controller.initdb({ fsync: false }))).code).toBe('DUGONG_ERR_FILE_UNSAFE');
    expect((await caught(controller.basebackupFrom(pg.tcpTarget, { timeoutMs: 5_000 }))).code).toBe('DUGONG_ERR_FILE_UNSAFE');
    const info = await stat(secrets);
    expect([info.uid, info.mode & 0o7777]).toEqual([0, 0o755]);
  });

  it('a log in a directory postgres cannot write (left root-owned by an earlier version) is handed over, then used', async () => {
    const fresh = await cluster.fromTemplate('logowner');
    const logDir = await mkdtemp(join(tmpdir(), 'dugong-logdir-'));
    try {
      await run('chmod', ['0755', logDir]);
      const logFile = join(logDir, 'postgresql.log');
      await writeFile(logFile, 'written by root before\n', { mode: 0o640 });
      const controller = createPostgresController({
        dataDir: fresh.dataDir, port: fresh.port, socketDir: cluster.scratch.path, logFile, runAs, clock: systemClock, log: silentLogger(),
      });
      await controller.writeRoleSettings({ writable: true, syncStandbyName: null, upstream: null });
      await controller.start({ timeoutMs: 30_000 });
      await controller.stop('fast', { timeoutMs: 10_000 });
      const info = await stat(logFile);
      expect([info.uid, info.isFile()]).toEqual([runAs.uid, true]);
      const text = await readFile(logFile, 'utf8');
      expect(text.startsWith('written by root before\n')).toBe(true);
      expect(text).toContain('database system is ready to accept connections');
    } finally {
      await rm(logDir, { recursive: true, force: true });
    }
  });

  it('leaves every root-owned target exactly as it was, and nothing new beside them', async () => {
    for (const name of NAMES) expect(await snapshot(target(name)), name).toEqual(before.get(name));
    expect((await readdir(secrets)).sort()).toEqual(NAMES.map((name) => `${name}.secret`).sort());
  });
});
