// Renders postgresql.conf-syntax files (the driver-owned dugong.conf) from name/value pairs.

export type GucValue = string | number | boolean;

const GUC_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/**
 * A single-quoted conf-file string. The conf parser un-escapes backslash sequences inside quotes and ends the
 * value at a bare newline, so backslashes, quotes and line breaks are all escaped.
 */
export function quoteConfString(value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/'/g, "''").replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `'${escaped}'`;
}

/** Booleans as on/off and numbers bare; strings are always quoted so that '' and values with spaces stay intact. */
export function renderConfValue(value: GucValue): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite setting value: ${value}`);
    return String(value);
  }
  return quoteConfString(value);
}

/** The value SHOW / pg_settings reports for a value rendered by renderConfValue (units aside). */
export function shownConfValue(value: GucValue): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

export function renderConfFile(header: string, settings: ReadonlyArray<readonly [string, GucValue]>): string {
  const lines = header
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `# ${line}`);
  for (const [name, value] of settings) {
    if (!GUC_NAME.test(name)) throw new RangeError(`not a setting name: ${JSON.stringify(name)}`);
    lines.push(`${name} = ${renderConfValue(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
