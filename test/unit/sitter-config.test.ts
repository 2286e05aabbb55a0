// The sample sitter config is valid, defaults are filled in, unknown keys and bad addresses are refused at their path,
// and docs/configuration.md names every key.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FsmConfigSchema } from '../../src/fsm/index.js';
import { BackupServerConfigSchema } from '../../src/schema/backupserver-config.js';
import { STATUS_API_LIMITS } from '../../src/schema/http-limits.js';
import { formatIssues } from '../../src/schema/index.js';
import { SitterConfigSchema, peerIdOf } from '../../src/schema/sitter-config.js';
import { SnapshotterConfigSchema } from '../../src/schema/snapshotter-config.js';

const sample = JSON.parse(readFileSync(new URL('../../etc/sitter.json', import.meta.url), 'utf8')) as unknown;

function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keyPaths(inner, prefix === '' ? key : `${prefix}.${key}`));
}

describe('sitter config', () => {
  it('accepts the documented sample', () => {
    const config = SitterConfigSchema.parse(sample);
    expect(peerIdOf(config)).toBe('10.0.0.11:5432:10002');
  });

  it('fills defaults, including the status port one above PostgreSQL', () => {
    const config = SitterConfigSchema.parse({
      shardPath: '/dugong/a', ip: '127.0.0.1', zoneId: 'z', zookeeper: { connectString: '127.0.0.1:2181', authFile: '/etc/dugong/zk-auth' },
      postgres: { dataDir: '/d/data', port: 6000 }, storage: { kind: 'directory' },
    });
    expect(config.statusApi).toEqual({ host: '127.0.0.1', port: 6001, ...STATUS_API_LIMITS });
    expect(config.zookeeper.sessionTimeoutMs).toBe(6000);
    expect(config.rebuild).toBe('manual');
    expect(config.oneNodeWriteMode).toBe(false);
  });

  it('is documented key by key in docs/configuration.md', () => {
    const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const undocumented = keyPaths(sample).filter((path) => !doc.includes(`\`${path}\``));
    expect(undocumented).toEqual([]);
  });
});

const MINIMAL = {
  shardPath: '/dugong/a', ip: '127.0.0.1', zoneId: 'z', zookeeper: { connectString: '127.0.0.1:2181', authFile: '/etc/dugong/zk-auth' },
  postgres: { dataDir: '/d/data' }, storage: { kind: 'directory' },
};

/** The problems of a parse, as `path: message` lines (what the daemons print before exiting 2). */
function problems(schema: z.ZodType, raw: unknown): string[] {
  const result = schema.safeParse(raw);
  return result.success ? [] : formatIssues(result.error.issues);
}

describe('strict daemon configs', () => {
  it('refuses an unknown key at every level of the sitter config, naming its path', () => {
    const found = problems(SitterConfigSchema, {
      ...MINIMAL,
      postgres: { dataDir: '/d/data', authmethod: 'trust' },
      zookeeper: { connectString: '127.0.0.1:2181', authFile: '/etc/dugong/zk-auth', sessionTimeout: 6000 },
      storage: { kind: 'directory', dataset: 'tank/x' },
      statusApi: { hots: '127.0.0.1' },
    });
    expect(found.sort()).toEqual(['postgres.authmethod: unknown key', 'statusApi.hots: unknown key', 'storage.dataset: unknown key', 'zookeeper.sessionTimeout: unknown key']);
  });

  it('accepts the sample backup server and snapshotter configs', () => {
    const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../etc/${name}.json`, import.meta.url), 'utf8'));
    expect(BackupServerConfigSchema.parse(read('backupserver'))).toMatchObject({ maxConnections: 64, requestTimeoutMs: 30_000 });
    expect(SnapshotterConfigSchema.safeParse(read('snapshotter')).success).toBe(true);
  });

  it('refuses unknown keys in the backup server, snapshotter and state machine configs', () => {
    const secret = 'a-strong-enough-shard-secret-0123456789';
    expect(problems(BackupServerConfigSchema, { dataset: 'tank/db', secret, maxConnection: 3, colour: 'blue' })).toEqual(['maxConnection: unknown key', 'colour: unknown key']);
    expect(problems(SnapshotterConfigSchema, { dataset: 'tank/db', pingUrl: 'http://127.0.0.1:5433/ping', kept: 3 })).toEqual(['kept: unknown key']);
    expect(FsmConfigSchema.safeParse({ probeIntervalMs: 100, probeInterval: 100 }).success).toBe(false);
  });

  it('validates ip as an address and trustedNetworks as addresses or CIDRs', () => {
    expect(problems(SitterConfigSchema, { ...MINIMAL, ip: 'db-1.example.com' })).toEqual(['ip: must be an IPv4 or IPv6 address like "10.0.0.11"']);
    expect(problems(SitterConfigSchema, { ...MINIMAL, ip: '300.0.0.1' })).toHaveLength(1);
    const networks = ['10.0.0.0/33', '10.0.0/8', 'fd00::/129', 'fe80::1%eth0', '10.0.0.0/', '::1/-1'];
    const found = problems(SitterConfigSchema, { ...MINIMAL, postgres: { dataDir: '/d/data', trustedNetworks: ['10.0.0.0/24', ...networks] } });
    expect(found).toEqual(networks.map((_, index) => `postgres.trustedNetworks.${index + 1}: must be an address or CIDR like "10.0.0.0/24"`));
    const good = ['10.0.0.0/24', '10.0.0.7', '0.0.0.0/0', 'fd00::/64', '::1', '::ffff:10.0.0.0/104'];
    expect(problems(SitterConfigSchema, { ...MINIMAL, ip: 'fd00::11', postgres: { dataDir: '/d/data', trustedNetworks: good } })).toEqual([]);
  });

  it('bounds the status API limits and keeps the headers timeout within the request timeout', () => {
    const found = problems(SitterConfigSchema, { ...MINIMAL, statusApi: { headersTimeoutMs: 20_000, requestTimeoutMs: 10_000, maxConnections: 0 } });
    expect(found).toContain('statusApi.maxConnections: Too small: expected number to be >=1');
    const order = problems(SitterConfigSchema, { ...MINIMAL, statusApi: { headersTimeoutMs: 20_000, requestTimeoutMs: 10_000 } });
    expect(order).toEqual(['statusApi.headersTimeoutMs: must not be longer than requestTimeoutMs']);
  });

  it('refuses a weak inline backup secret at its path', () => {
    expect(problems(SitterConfigSchema, { ...MINIMAL, backupServer: { secret: 'x'.repeat(40) } })).toEqual([
      'backupServer.secret: the backup secret is too weak: uses only one class of characters (of lower-case, upper-case, digits, symbols), has fewer than 8 different characters',
    ]);
    expect(problems(BackupServerConfigSchema, { dataset: 'tank/db', secret: 'short-0123456789' }).join('\n')).toMatch(/^secret: .*shorter than 32 characters/m);
  });
});
