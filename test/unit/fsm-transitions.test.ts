// The transitions table is well-formed data: stable unique ids, known roles, one sentence per trigger and reason.
import { describe, expect, it } from 'vitest';
import { TRANSITIONS, TRANSITION_IDS, transitionRow, type TransitionRow } from '../../src/fsm/index.js';

const ROLES = ['none', 'unassigned', 'primary', 'sync', 'async', 'deposed', 'any'];

describe('transitions table', () => {
  it('has unique, numbered, kebab-case ids in order', () => {
    expect(new Set(TRANSITION_IDS).size).toBe(TRANSITION_IDS.length);
    TRANSITION_IDS.forEach((id, index) => expect(id).toMatch(new RegExp(`^T${String(index + 1).padStart(2, '0')}-[a-z]+(-[a-z]+)*$`)));
  });

  it('names only known roles and explains every row', () => {
    for (const row of TRANSITIONS) {
      expect(ROLES).toContain(row.from);
      expect(ROLES).toContain(row.to);
      if (row.from !== 'any') expect(row.to).not.toBe(row.from);
      expect(row.trigger.length).toBeGreaterThan(10);
      expect(row.reason.length).toBeGreaterThan(10);
    }
  });

  it('only the catch-all row uses "any"', () => {
    const rows: readonly TransitionRow[] = TRANSITIONS;
    const wild = rows.filter((row) => row.from === 'any' || row.to === 'any').map((row) => row.id);
    expect(wild).toEqual(['T21-reassigned-unexplained']);
    expect(transitionRow('T05-sync-takes-over')).toMatchObject({ from: 'sync', to: 'primary' });
  });
});
