// `history` annotations: every write listed in order, protocol anomalies flagged.
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../src/coord/index.js';
import { formatHistory } from '../../src/adm/format-history.js';
import { annotateHistory } from '../../src/adm/history-annotate.js';
import type { ClusterState } from '../../src/schema/index.js';
import { baseState, P1, P2, P3, P4 } from './adm-fakes.js';

function entries(...writes: Array<[number, ClusterState]>): HistoryEntry[] {
  return writes.map(([prefix, state], seq) => ({ nodeName: `${prefix}-${String(seq).padStart(10, '0')}`, generation: prefix, seq, record: { kind: 'valid', state, version: seq } }));
}

const gen1 = baseState({ generation: 1, async: [] });

describe('history annotations', () => {
  it('describes a normal life: bootstrap, async joins, freeze, promote, switchover, reap', () => {
    const withAsync = { ...gen1, async: [P3] };
    const frozen = { ...withAsync, freeze: { date: '2030-01-01T00:00:00.000Z', reason: 'upgrade' } };
    const request = { ...withAsync, promote: { id: P2.id, role: 'sync' as const, generation: 1, expireTime: '2030-01-01T00:01:00.000Z' } };
    const switched = baseState({ generation: 2, primary: P2, sync: P3, async: [], deposed: [P1] });
    const reaped = { ...switched, deposed: [] };
    const annotated = annotateHistory(entries([1, gen1], [1, withAsync], [0, frozen], [0, withAsync], [0, request], [2, switched], [0, reaped]));
    expect(annotated.map((e) => e.notes)).toEqual([
      ['first state (bootstrap)'],
      [`async: +${P3.id}`],
      ['frozen at 2030-01-01T00:00:00.000Z: upgrade'],
      ['unfrozen'],
      [`promote requested: ${P2.id} (the sync) to primary (generation 1, expires 2030-01-01T00:01:00.000Z)`],
      [`switchover (promote request): ${P2.id} replaced primary ${P1.id}, new sync ${P3.id}`, `deposed: +${P1.id}`],
      [`deposed: -${P1.id}`],
    ]);
    expect(annotated.flatMap((e) => e.anomalies)).toEqual([]);
    expect(annotated.map((e) => e.writer)).toEqual(['sitter', 'sitter', 'operator', 'operator', 'operator', 'sitter', 'operator']);
  });

  it('flags a generation going backwards, a primary that was not the sync, and a sync changed without a new generation', () => {
    const takeoverByStranger = baseState({ generation: 2, primary: P3, sync: P2, async: [], deposed: [P1] });
    const syncSwapped = { ...takeoverByStranger, sync: P4 };
    const backwards = { ...syncSwapped, generation: 1 };
    const annotated = annotateHistory(entries([1, gen1], [2, takeoverByStranger], [2, syncSwapped], [1, backwards]));
    expect(annotated[1]?.anomalies).toEqual([`new primary ${P3.id} was not the previous sync (${P2.id})`]);
    expect(annotated[2]?.anomalies).toEqual([`sync changed (${P2.id} -> ${P4.id}) without a new generation`]);
    expect(annotated[3]?.anomalies).toEqual(['generation went backwards: 2 -> 1']);
  });

  it('flags unreadable entries and a history node whose generation disagrees with its state; a takeover is not an anomaly', () => {
    const takeover = baseState({ generation: 2, primary: P2, sync: P3, async: [], deposed: [P1] });
    const list = entries([1, gen1], [5, takeover]);
    list.push({ nodeName: '3-0000000002', generation: 3, seq: 2, record: { kind: 'invalid', problems: ['generation: expected number'], version: 3, raw: '{' } });
    const annotated = annotateHistory(list);
    expect(annotated[1]?.notes[0]).toBe(`takeover: ${P2.id} replaced primary ${P1.id}, new sync ${P3.id}`);
    expect(annotated[1]?.anomalies).toEqual(['history node names generation 5, the state has 2']);
    expect(annotated[2]?.anomalies).toEqual(['unreadable state: generation: expected number']);
  });

  it('prints one line per write with its notes and anomalies indented, and a count', () => {
    const lines = formatHistory(annotateHistory(entries([1, gen1], [0, { ...gen1, generation: 0 }])));
    expect(lines[0]).toMatch(/^SEQ +GEN +WRITER +PRIMARY +SYNC +ASYNC +DEPOSED$/);
    expect(lines[1]).toMatch(/^0 +1 +sitter +10\.0\.0\.1:5432:10002 +10\.0\.0\.2:5442:10012 +- +-$/);
    expect(lines).toContain('      ANOMALY: generation went backwards: 1 -> 0');
    expect(lines.at(-1)).toMatch(/^2 writes, 1 anomalies/);
    expect(formatHistory([])).toEqual(['no history: nothing was ever written for this shard']);
  });
});
