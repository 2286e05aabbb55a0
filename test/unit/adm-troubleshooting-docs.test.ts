// docs/troubleshooting.md lists every error code of the catalogue with its meaning and action, exactly (generated section).
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors.js';

const PATH = new URL('../../docs/troubleshooting.md', import.meta.url);
const BEGIN = /<!-- BEGIN GENERATED[^\n]*-->\n/;
const END = '<!-- END GENERATED -->';

function renderCodes(): string {
  return Object.entries(ERROR_CATALOGUE)
    .map(([code, entry]) => `### ${code}\n\n${entry.meaning}\n\n**What to do.** ${entry.action}\n`)
    .join('\n');
}

/** The file with its generated section replaced by the catalogue as it is now. */
function regenerate(text: string): string {
  const begin = BEGIN.exec(text);
  const end = text.indexOf(END);
  if (begin === null || end < begin.index) throw new Error('docs/troubleshooting.md lost its BEGIN/END GENERATED markers');
  const start = begin.index + begin[0].length;
  return `${text.slice(0, start)}\n${renderCodes()}\n${text.slice(end)}`;
}

describe('docs/troubleshooting.md', () => {
  it('has a section for every error code with the catalogue text (regenerate: UPDATE_DOCS=1 npx vitest run test/unit/adm-troubleshooting-docs.test.ts)', () => {
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(PATH, regenerate(readFileSync(PATH, 'utf8')));
    const onDisk = readFileSync(PATH, 'utf8');
    expect(onDisk).toBe(regenerate(onDisk));
  });

  it('names each code as a heading exactly once', () => {
    const headings = [...readFileSync(PATH, 'utf8').matchAll(/^### (DUGONG_ERR_[A-Z_]+)$/gm)].map((match) => match[1]);
    expect(headings.sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });
});
