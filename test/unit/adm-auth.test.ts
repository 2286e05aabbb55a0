// dugong-adm's ZooKeeper identity: changes authenticate (--auth-file, or -c's zookeeper.authFile), reads never load it.
import { describe, expect, it } from 'vitest';
import { runAdm } from '../../src/adm/program.js';
import type { ShardTarget } from '../../src/adm/types.js';
import { SitterConfigSchema, type SitterConfig } from '../../src/schema/sitter-config.js';
import { baseState, captureIo, FakeCoordinator, fakeDeps } from './adm-fakes.js';

const CREDENTIAL = { user: 'dugong', password: 'a3f09c1e7b2d4a6f8e0c1b3d5f7a9c2e' };

function sitterConfig(zookeeper: object): SitterConfig {
  return SitterConfigSchema.parse({
    shardPath: '/dugong/test', ip: '10.0.0.1', zoneId: 'z1', postgres: { dataDir: '/d/data' }, storage: { kind: 'directory' },
    zookeeper: { connectString: '10.0.0.9:2181', ...zookeeper },
  });
}

async function adm(args: readonly string[], config?: SitterConfig) {
  const coordinator = new FakeCoordinator(baseState());
  const targets: ShardTarget[] = [];
  const loaded: string[] = [];
  const deps = {
    ...fakeDeps(coordinator),
    createCoordinator: (target: ShardTarget) => {
      targets.push(target);
      return coordinator;
    },
    loadSitterConfig: async () => {
      if (config === undefined) throw new Error('no config in this test');
      return config;
    },
    loadZkCredential: async (path: string) => {
      loaded.push(path);
      return CREDENTIAL;
    },
  };
  const io = captureIo();
  const status = await runAdm(args, io, deps);
  return { status, err: io.err(), targets, loaded };
}

describe('dugong-adm authentication', () => {
  it('reads without a credential, even when one is given', async () => {
    const run = await adm(['-z', '10.0.0.9:2181', '-s', '/dugong/test', '--auth-file', '/k/zk-auth', 'state']);
    expect(run.status).toBe(0);
    expect(run.loaded).toEqual([]);
    expect(run.targets.map((t) => t.access)).toEqual([{ kind: 'read-only' }]);
  });

  it('authenticates a change with --auth-file, before or after the verb', async () => {
    for (const args of [['--auth-file', '/k/zk-auth', 'freeze', '-r', 'x'], ['freeze', '-r', 'x', '--auth-file', '/k/zk-auth']]) {
      const run = await adm(['-z', '10.0.0.9:2181', '-s', '/dugong/test', ...args]);
      expect(run.status, run.err).toBe(0);
      expect(run.loaded).toEqual(['/k/zk-auth']);
      expect(run.targets.map((t) => t.access)).toEqual([{ kind: 'digest', credential: CREDENTIAL }]);
    }
  });

  it("takes the credential from -c's zookeeper.authFile; --auth-file wins; an insecure shard is written openly", async () => {
    const secured = sitterConfig({ authFile: '/etc/dugong/zk-auth' });
    expect((await adm(['-c', '/etc/dugong/sitter.json', 'freeze', '-r', 'x'], secured)).loaded).toEqual(['/etc/dugong/zk-auth']);
    expect((await adm(['-c', '/etc/dugong/sitter.json', '--auth-file', '/k/other', 'freeze', '-r', 'x'], secured)).loaded).toEqual(['/k/other']);
    const open = await adm(['-c', '/etc/dugong/sitter.json', 'freeze', '-r', 'x'], sitterConfig({ insecureOpenAcl: true }));
    expect(open.targets.map((t) => t.access)).toEqual([{ kind: 'open' }]);
  });

  it('tries a change without a credential read-only (ZooKeeper then refuses it)', async () => {
    const run = await adm(['-z', '10.0.0.9:2181', '-s', '/dugong/test', 'freeze', '-r', 'x']);
    expect(run.loaded).toEqual([]);
    expect(run.targets.map((t) => t.access)).toEqual([{ kind: 'read-only' }]);
  });
});
