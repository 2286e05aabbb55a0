// Writes docs/state-machine.md from the transitions table in src/fsm (run: node --import tsx tools/gen-state-diagram.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderStateDiagram } from '../src/fsm/index.js';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/state-machine.md', import.meta.url), renderStateDiagram());
}
