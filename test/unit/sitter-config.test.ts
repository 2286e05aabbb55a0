// The sample sitter config is valid, defaults are filled in, and docs/configuration.md names every key.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SitterConfigSchema, peerIdOf } from '../../src/schema/sitter-config.js';

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
      shardPath: '/dugong/a', ip: '127.0.0.1', zoneId: 'z', zookeeper: { connectString: '127.0.0.1:2181' },
      postgres: { dataDir: '/d/data', port: 6000 }, storage: { kind: 'directory' },
    });
    expect(config.statusApi).toEqual({ host: '127.0.0.1', port: 6001 });
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
