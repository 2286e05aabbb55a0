// Election node names and payloads: split at the last '-', de-dup by id keeping the highest seq, order by seq, report bad nodes.
import { describe, expect, it } from 'vitest';
import {
  buildActiveList,
  parseElectionNodeName,
  selectCandidates,
  type PayloadRead,
} from '../../src/coord/zookeeper/election-names.js';

const payload = (n: number): Buffer =>
  Buffer.from(
    JSON.stringify({ zoneId: `z${n}`, ip: `10.0.0.${n}`, pgUrl: `tcp://postgres@10.0.0.${n}:5432/postgres`, backupUrl: `http://10.0.0.${n}:12345` }),
  );
const data = (buffer: Buffer | undefined): PayloadRead => ({ kind: 'data', data: buffer });

describe('parseElectionNodeName', () => {
  it('splits at the last dash, so host names with dashes keep their id', () => {
    expect(parseElectionNodeName('db-1.example.com:5432:12345-0000000042')).toEqual({
      ok: true,
      candidate: { id: 'db-1.example.com:5432:12345', seq: 42, nodeName: 'db-1.example.com:5432:12345-0000000042' },
    });
  });

  it.each([
    ['no dash', '10.0.0.1:5432:12345'],
    ['short sequence', '10.0.0.1:5432:12345-42'],
    ['not a peer id', 'n_-0000000001'],
    ['leading dash only', '-0000000001'],
    ['negative (overflowed) counter', '10.0.0.1:5432:12345--2147483648'],
  ])('rejects %s', (_label, name) => {
    expect(parseElectionNodeName(name).ok).toBe(false);
  });
});

describe('selectCandidates', () => {
  it('orders by sequence and keeps the highest sequence per id', () => {
    const selection = selectCandidates([
      '10.0.0.2:5432:12345-0000000003',
      '10.0.0.1:5432:12345-0000000001',
      '10.0.0.3:5432:12345-0000000002',
      '10.0.0.1:5432:12345-0000000007',
    ]);
    expect(selection.candidates.map((c) => [c.id, c.seq])).toEqual([
      ['10.0.0.3:5432:12345', 2],
      ['10.0.0.2:5432:12345', 3],
      ['10.0.0.1:5432:12345', 7],
    ]);
    expect(selection.rejected).toEqual([]);
  });

  it('compares sequences as numbers and reports unparsable names', () => {
    const selection = selectCandidates(['10.0.0.1:5432:12345-0000000010', '10.0.0.2:5432:12345-0000000009', 'junk']);
    expect(selection.candidates.map((c) => c.seq)).toEqual([9, 10]);
    expect(selection.rejected).toEqual([{ nodeName: 'junk', problems: ['name is not "<peerId>-<sequence>"'] }]);
  });

  it('is empty for no children', () => {
    expect(selectCandidates([])).toEqual({ candidates: [], rejected: [] });
  });
});

describe('buildActiveList', () => {
  const names = ['10.0.0.1:5432:12345-0000000001', '10.0.0.2:5432:12345-0000000002', '10.0.0.3:5432:12345-0000000003', '10.0.0.4:5432:12345-0000000004'];

  it('builds peers from the id in the name and the payload, skipping and reporting bad payloads', () => {
    const selection = selectCandidates(names);
    const list = buildActiveList(selection, [data(payload(1)), data(Buffer.from('{oops')), data(undefined), data(Buffer.from('{"ip":"x"}'))]);
    expect(list.entries).toEqual([
      {
        peer: { id: '10.0.0.1:5432:12345', zoneId: 'z1', ip: '10.0.0.1', pgUrl: 'tcp://postgres@10.0.0.1:5432/postgres', backupUrl: 'http://10.0.0.1:12345' },
        seq: 1,
        nodeName: names[0],
      },
    ]);
    expect(list.rejected.map((r) => r.nodeName)).toEqual(names.slice(1));
    expect(list.rejected[0]?.problems).toEqual(['(root): payload is not JSON']);
    expect(list.rejected[2]?.problems.join()).toMatch(/zoneId/);
  });

  it('drops nodes that vanished between listing and reading', () => {
    const list = buildActiveList(selectCandidates(names.slice(0, 2)), [{ kind: 'gone' }, data(payload(2))]);
    expect(list.entries.map((e) => e.seq)).toEqual([2]);
    expect(list.rejected).toEqual([]);
  });

  it('ignores unknown payload fields (Manatee payloads may carry more)', () => {
    const extra = Buffer.from(JSON.stringify({ ...JSON.parse(payload(1).toString()), extra: true }));
    const list = buildActiveList(selectCandidates(names.slice(0, 1)), [data(extra)]);
    expect(list.entries[0]?.peer).not.toHaveProperty('extra');
  });
});
