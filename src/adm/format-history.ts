// PURE: `history` as text (one line per written state, notes and anomalies indented below it) and as JSON.
import type { AnnotatedEntry } from './history-annotate.js';
import { renderTable } from './table.js';

const NOTE_INDENT = '      ';

function cells(entry: AnnotatedEntry): string[] {
  const state = entry.state;
  if (state === null) return [String(entry.seq), '?', entry.writer, '?', '?', '?', '?'];
  return [
    String(entry.seq),
    String(state.generation),
    entry.writer,
    state.primary.id,
    state.sync?.id ?? '-',
    state.async.length === 0 ? '-' : state.async.map((peer) => peer.id).join(','),
    state.deposed.length === 0 ? '-' : state.deposed.map((peer) => peer.id).join(','),
  ];
}

export function formatHistory(entries: readonly AnnotatedEntry[]): string[] {
  if (entries.length === 0) return ['no history: nothing was ever written for this shard'];
  const table = renderTable(['SEQ', 'GEN', 'WRITER', 'PRIMARY', 'SYNC', 'ASYNC', 'DEPOSED'], entries.map(cells));
  const [head = '', ...rows] = table;
  const lines = [head];
  entries.forEach((entry, index) => {
    lines.push(rows[index] ?? '');
    for (const note of entry.notes) lines.push(`${NOTE_INDENT}${note}`);
    for (const anomaly of entry.anomalies) lines.push(`${NOTE_INDENT}ANOMALY: ${anomaly}`);
  });
  const anomalies = entries.reduce((count, entry) => count + entry.anomalies.length, 0);
  lines.push('', `${entries.length} writes, ${anomalies} anomalies (ZooKeeper write times are not recorded; SEQ is the write order)`);
  return lines;
}

export function historyJson(entries: readonly AnnotatedEntry[]): unknown {
  return { entries: entries.map((entry) => ({ ...entry })) };
}
