// application_name derivation from peer ids, and libpq conninfo quoting.
import { describe, expect, it } from 'vitest';
import { applicationNameForPeer, isSafeApplicationName } from '../../src/pg/application-name.js';
import { quoteConninfoValue, renderConninfo } from '../../src/pg/conninfo.js';
import { upstreamConninfo } from '../../src/pg/role-settings.js';

describe('applicationNameForPeer', () => {
  it('keeps only [a-z0-9_]', () => {
    expect(applicationNameForPeer('10.0.0.1:5432:10002')).toBe('10_0_0_1_5432_10002');
    expect(applicationNameForPeer('FD00::1:5432:10002')).toBe('fd00__1_5432_10002');
    expect(applicationNameForPeer('peer "x"; DROP')).toBe('peer__x___drop');
  });

  it('shortens long ids to 63 bytes with a hash, so the server does not truncate them into collisions', () => {
    const a = applicationNameForPeer(`${'x'.repeat(70)}:1`);
    const b = applicationNameForPeer(`${'x'.repeat(70)}:2`);
    expect(a).toHaveLength(63);
    expect(b).toHaveLength(63);
    expect(a).not.toBe(b);
    expect(isSafeApplicationName(a)).toBe(true);
  });

  it('is a pure function of the id', () => {
    expect(applicationNameForPeer('10.0.0.1:5432:10002')).toBe(applicationNameForPeer('10.0.0.1:5432:10002'));
    expect(() => applicationNameForPeer('')).toThrow(RangeError);
  });

  it('isSafeApplicationName accepts exactly what the derivation can produce', () => {
    expect(isSafeApplicationName('10_0_0_1_5432_10002')).toBe(true);
    for (const bad of ['', 'Upper', 'with space', 'quote"', 'x'.repeat(64), 'dash-ed']) expect(isSafeApplicationName(bad)).toBe(false);
  });
});

describe('conninfo quoting', () => {
  it('leaves plain values bare and quotes the rest with libpq escapes', () => {
    expect(quoteConninfoValue('10.0.0.1')).toBe('10.0.0.1');
    expect(quoteConninfoValue('')).toBe("''");
    expect(quoteConninfoValue('with space')).toBe("'with space'");
    expect(quoteConninfoValue("it's")).toBe("'it\\'s'");
    expect(quoteConninfoValue('back\\slash')).toBe("'back\\\\slash'");
    expect(quoteConninfoValue('a=b')).toBe('a=b');
  });

  it('renders keywords in order and refuses invalid keywords', () => {
    expect(renderConninfo({ host: '/tmp/pg sock', port: 5432, sslmode: 'disable' })).toBe("host='/tmp/pg sock' port=5432 sslmode=disable");
    expect(() => renderConninfo({ 'bad key': 'x' })).toThrow(RangeError);
  });

  it('builds primary_conninfo from an upstream, extras after the standard keywords', () => {
    const conninfo = upstreamConninfo({
      host: '10.0.0.2', port: 5432, user: 'postgres', applicationName: 'peer_c', extraConninfo: { passfile: "/etc/dugong/it's" },
    });
    expect(conninfo).toBe("host=10.0.0.2 port=5432 user=postgres application_name=peer_c passfile='/etc/dugong/it\\'s'");
    expect(() => upstreamConninfo({ host: 'h', port: 1, user: 'u', applicationName: 'Not Safe' })).toThrow(/application_name/);
    expect(() => upstreamConninfo({ host: 'h', port: 1, user: 'u', applicationName: 'ok', extraConninfo: { application_name: 'x' } })).toThrow(
      /DUGONG_ERR_CONFIG_INVALID: extraConninfo may not set application_name/,
    );
  });
});
