// Writes docs/errors.md from the error catalogue in src/errors.ts (run: node --import tsx tools/gen-error-docs.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CATALOGUE } from '../src/errors.js';

export function renderErrorDocs(): string {
  const lines = [
    '# Error codes',
    '',
    'Every error Dugong reports starts with one of these stable codes. Generated from `src/errors.ts` by',
    '`node --import tsx tools/gen-error-docs.ts`; a test fails when this file and the code disagree.',
    '',
  ];
  for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
    lines.push(`## ${code}`, '', `**Meaning.** ${entry.meaning}`, '', `**What to do.** ${entry.action}`, '');
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorDocs());
}
