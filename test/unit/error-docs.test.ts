// docs/errors.md must list exactly the codes of the catalogue, with the same text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorDocs } from '../../tools/gen-error-docs.js';
import { DugongError, ERROR_CATALOGUE, isDugongError } from '../../src/errors.js';

describe('error catalogue', () => {
  it('is documented in docs/errors.md exactly as generated (regenerate: node --import tsx tools/gen-error-docs.ts)', () => {
    const onDisk = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderErrorDocs());
  });

  it('uses only DUGONG_ERR_ codes and puts the code first in every message', () => {
    for (const code of Object.keys(ERROR_CATALOGUE)) expect(code).toMatch(/^DUGONG_ERR_[A-Z_]+$/);
    const error = new DugongError('DUGONG_ERR_COORD_CONFLICT', 'lost the race', { expectedVersion: 3 });
    expect(error.message).toBe('DUGONG_ERR_COORD_CONFLICT: lost the race');
    expect(isDugongError(error, 'DUGONG_ERR_COORD_CONFLICT')).toBe(true);
    expect(isDugongError(error, 'DUGONG_ERR_COORD_EXISTS')).toBe(false);
  });

  it('is referenced from the source: every code is used somewhere outside the catalogue', async () => {
    const { execFileSync } = await import('node:child_process');
    const unused = Object.keys(ERROR_CATALOGUE).filter((code) => {
      try {
        const hits = execFileSync('grep', ['-rl', `'${code}'`, 'src', '--include=*.ts'], { encoding: 'utf8' });
        return hits.split('\n').filter((file) => file !== '' && file !== 'src/errors.ts').length === 0;
      } catch {
        return true;
      }
    });
    expect(unused).toEqual([]);
  });
});
