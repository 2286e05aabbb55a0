// Renders the transitions table as a Mermaid state diagram (docs/state-machine.md is generated from this).
import { TRANSITIONS, type TransitionRow } from './transitions.js';

const STATE_NAMES: Record<string, string> = {
  none: 'none',
  unassigned: 'unassigned',
  primary: 'primary',
  sync: 'sync',
  async: 'async',
  deposed: 'deposed',
};

function edge(row: TransitionRow): string {
  const from = row.from === 'none' ? '[*]' : (STATE_NAMES[row.from] ?? row.from);
  return `    ${from} --> ${STATE_NAMES[row.to] ?? row.to}: ${row.id}`;
}

function tableLine(row: TransitionRow): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  return `| \`${row.id}\` | ${row.from} | ${row.to} | ${cell(row.trigger)} | ${cell(row.reason)} |`;
}

/** The whole markdown document: the diagram, then the table with triggers and reasons. */
export function renderStateDiagram(rows: readonly TransitionRow[] = TRANSITIONS): string {
  const drawn = rows.filter((row) => row.from !== 'any' && row.to !== 'any');
  const catchAll = rows.filter((row) => row.from === 'any' || row.to === 'any');
  return [
    '# Sitter state machine',
    '',
    'Generated from `src/fsm/transitions.ts` by `node --import tsx tools/gen-state-diagram.ts`;',
    'a unit test fails when this file and the table disagree. `[*]` is a sitter that has not yet read a',
    'cluster state (role `none`). Every role change the sitter makes is logged with the row id it applied.',
    '',
    '```mermaid',
    'stateDiagram-v2',
    ...drawn.map(edge),
    ...catchAll.map((row) => `    note right of unassigned: ${row.id} (any role to any role)`),
    '```',
    '',
    '| id | from | to | trigger | reason |',
    '|---|---|---|---|---|',
    ...rows.map(tableLine),
    '',
  ].join('\n');
}
