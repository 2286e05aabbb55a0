// The PostgreSQL driver's conf rendering: quoting, the role file it owns, and what SHOW must report after a reload.
import { describe, expect, it } from 'vitest';
import { quoteConfString, renderConfFile } from '../../src/pg/conf-render.js';
import {
  expectedShownSettings, INITIAL_ROLE_SETTINGS, renderRoleConf, ROLE_TOKEN_SETTING, roleSettingsToGucs, type RoleSettings,
} from '../../src/pg/role-settings.js';

const upstream = { host: '10.0.0.2', port: 5432, user: 'postgres', applicationName: '10_0_0_3_5432_10002' };

describe('conf-file quoting', () => {
  it('doubles single quotes, escapes backslashes and line breaks', () => {
    expect(quoteConfString('')).toBe("''");
    expect(quoteConfString("it's")).toBe("'it''s'");
    expect(quoteConfString('C:\\dir')).toBe("'C:\\\\dir'");
    expect(quoteConfString('a\nb\rc')).toBe("'a\\nb\\rc'");
  });

  it('renders booleans as on/off, numbers bare, strings quoted, with a commented header', () => {
    const text = renderConfFile('line one\nline two', [['hot_standby', true], ['wal_keep_size', 0], ['cluster_name', 'dugong shard']]);
    expect(text).toBe("# line one\n# line two\nhot_standby = on\nwal_keep_size = 0\ncluster_name = 'dugong shard'\n");
  });

  it('refuses names that are not setting names', () => {
    expect(() => renderConfFile('', [['bad name', 1]])).toThrow(RangeError);
    expect(() => renderConfFile('', [["x = 1\ninclude '/etc/passwd'", 1]])).toThrow(RangeError);
    expect(renderConfFile('', [['dugong.note', 'ok']])).toBe("dugong.note = 'ok'\n");
  });
});

describe('role settings (dugong.conf)', () => {
  it('a primary with a sync: writes as asked, the sync quoted as an identifier, no upstream', () => {
    const gucs = new Map(roleSettingsToGucs({ writable: true, syncStandbyName: '10_0_0_2_5432_10002', upstream: null }));
    expect(gucs.get('default_transaction_read_only')).toBe(false);
    expect(gucs.get('synchronous_standby_names')).toBe('"10_0_0_2_5432_10002"');
    expect(gucs.get('synchronous_commit')).toBe('on');
    expect(gucs.get('primary_conninfo')).toBe('');
    expect(gucs.get('recovery_target_timeline')).toBe('latest');
  });

  it('a standby: read-only, primary_conninfo carrying its own application_name', () => {
    const text = renderRoleConf({ writable: false, syncStandbyName: null, upstream });
    expect(text).toContain('default_transaction_read_only = on\n');
    expect(text).toContain("synchronous_standby_names = ''\n");
    expect(text).toContain("primary_conninfo = 'host=10.0.0.2 port=5432 user=postgres application_name=10_0_0_3_5432_10002'\n");
    expect(text.split('\n')[0]).toMatch(/^# Written by the Dugong sitter/);
  });

  it('the initial settings are the safe ones: read-only, no sync, no upstream', () => {
    expect(INITIAL_ROLE_SETTINGS).toEqual({ writable: false, syncStandbyName: null, upstream: null });
  });

  it('expects SHOW to report exactly what the file says, plus a token that changes with any line', () => {
    const settings: RoleSettings = { writable: false, syncStandbyName: 'peer_b', upstream };
    const shown = Object.fromEntries(expectedShownSettings(settings));
    expect(shown).toEqual({
      default_transaction_read_only: 'on',
      synchronous_standby_names: '"peer_b"',
      synchronous_commit: 'on',
      primary_conninfo: 'host=10.0.0.2 port=5432 user=postgres application_name=10_0_0_3_5432_10002',
      [ROLE_TOKEN_SETTING]: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const token = (changed: RoleSettings): string | undefined => expectedShownSettings(changed).get(ROLE_TOKEN_SETTING);
    expect(token(settings)).toBe(shown[ROLE_TOKEN_SETTING]);
    expect(token({ ...settings, extra: { wal_sender_timeout: '10s' } })).not.toBe(shown[ROLE_TOKEN_SETTING]);
    expect(renderRoleConf(settings)).toContain(`${ROLE_TOKEN_SETTING} = '${shown[ROLE_TOKEN_SETTING]}'\n`);
  });

  it('refuses unsafe application names and extras that would override a driver setting', () => {
    const unsafe = (): unknown => roleSettingsToGucs({ writable: true, syncStandbyName: 'a", "b', upstream: null });
    expect(unsafe).toThrow(/application_name/);
    const conflicting = (): unknown =>
      roleSettingsToGucs({ writable: true, syncStandbyName: null, upstream: null, extra: { synchronous_commit: 'local' } });
    expect(conflicting).toThrow(/^DUGONG_ERR_CONFIG_INVALID: extra setting synchronous_commit is owned by the driver$/);
    expect(() => roleSettingsToGucs({ writable: true, syncStandbyName: null, upstream: null, extra: { [ROLE_TOKEN_SETTING]: 'x' } })).toThrow(/owned/);
    const extra = new Map(roleSettingsToGucs({ writable: true, syncStandbyName: null, upstream: null, extra: { wal_sender_timeout: '10s' } }));
    expect(extra.get('wal_sender_timeout')).toBe('10s');
  });
});
