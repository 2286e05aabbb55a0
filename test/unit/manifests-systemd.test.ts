// The systemd units (etc/systemd/*.service): required keys checked here, and `systemd-analyze verify` where available.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const SERVICES = ['sitter', 'backupserver', 'snapshotter'] as const;

type Unit = Map<string, Map<string, string[]>>;

function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header !== null) {
      section = new Map();
      unit.set(header[1] ?? '', section);
      continue;
    }
    const [key = '', ...value] = line.split('=');
    if (section === undefined || key === '') throw new Error(`not a unit file line: ${line}`);
    section.set(key, [...(section.get(key) ?? []), value.join('=')]);
  }
  return unit;
}

const value = (unit: Unit, section: string, key: string): string => (unit.get(section)?.get(key) ?? []).join(' ');

describe.each(SERVICES)('etc/systemd/dugong-%s.service', (service) => {
  const path = `${ROOT}etc/systemd/dugong-${service}.service`;
  const text = readFileSync(path, 'utf8');
  const unit = parseUnit(text);

  it('has the keys a service needs: description, ordering after network and filesystems, exec, restart policy, install target', () => {
    expect(value(unit, 'Unit', 'Description')).toMatch(/^Dugong /);
    const after = value(unit, 'Unit', 'After').split(/\s+/);
    expect(after).toEqual(expect.arrayContaining(['network-online.target', 'local-fs.target']));
    expect(value(unit, 'Unit', 'Wants')).toContain('network-online.target');
    expect(value(unit, 'Service', 'Type')).toBe('simple');
    expect(value(unit, 'Service', 'ExecStart')).toBe(`/opt/dugong/bin/dugong-${service} -f /etc/dugong/${service}.json`);
    expect(value(unit, 'Service', 'Restart')).toBe('on-failure');
    expect(value(unit, 'Service', 'RestartPreventExitStatus'), 'exit 2 = invalid config: no restart loop').toBe('2');
    expect(Number(value(unit, 'Service', 'TimeoutStopSec'))).toBeGreaterThan(0);
    expect(value(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
  });

  it('lets the sitter alone receive SIGTERM (KillMode=mixed), so it hands over before PostgreSQL stops', () => {
    if (service === 'sitter') expect(value(unit, 'Service', 'KillMode')).toBe('mixed');
  });

  it('passes systemd-analyze verify without a warning (where systemd-analyze exists)', () => {
    if (spawnSync('which', ['systemd-analyze']).status !== 0) return;
    // verify insists that ExecStart exists: check a copy that points at stand-in executables.
    const dir = mkdtempSync(join(tmpdir(), 'dugong-units-'));
    try {
      const bin = join(dir, `dugong-${service}`);
      writeFileSync(bin, '#!/bin/sh\n');
      chmodSync(bin, 0o755);
      const copy = join(dir, `dugong-${service}.service`);
      writeFileSync(copy, text.replaceAll(`/opt/dugong/bin/dugong-${service}`, bin));
      const result = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
