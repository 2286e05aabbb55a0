// docs/state-machine.md must be exactly what the transitions table generates.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderStateDiagram, TRANSITIONS } from '../../src/fsm/index.js';

describe('state diagram', () => {
  it('docs/state-machine.md matches the transitions table (regenerate: node --import tsx tools/gen-state-diagram.ts)', () => {
    const onDisk = readFileSync(new URL('../../docs/state-machine.md', import.meta.url), 'utf8');
    expect(onDisk, 'docs/state-machine.md is stale: run node --import tsx tools/gen-state-diagram.ts').toBe(renderStateDiagram());
  });

  it('draws every row: an edge per role-to-role row and a note for the catch-all row', () => {
    const diagram = renderStateDiagram();
    for (const row of TRANSITIONS) expect(diagram).toContain(`: ${row.id}`);
    expect(diagram).toContain('    sync --> primary: T05-sync-takes-over');
    expect(diagram).toContain('    [*] --> primary: T01-bootstrap-primary');
  });
});
