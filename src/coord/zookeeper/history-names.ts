// Pure parsing and ordering of history node names `<generation>-<sequence>`.

export interface HistoryName {
  readonly nodeName: string;
  readonly generation: number;
  readonly seq: number;
}

const HISTORY_NAME = /^(\d+)-(\d{10})$/;

export function parseHistoryNodeName(nodeName: string): HistoryName | undefined {
  const match = HISTORY_NAME.exec(nodeName);
  if (match === null) return undefined;
  const [, generation = '', seq = ''] = match;
  return { nodeName, generation: Number(generation), seq: Number(seq) };
}

/** Parsed names in write order (the sequence is shared by all history nodes of a shard); the rest separately. */
export function orderHistoryNames(nodeNames: readonly string[]): { names: HistoryName[]; unparsable: string[] } {
  const names: HistoryName[] = [];
  const unparsable: string[] = [];
  for (const nodeName of nodeNames) {
    const parsed = parseHistoryNodeName(nodeName);
    if (parsed === undefined) unparsable.push(nodeName);
    else names.push(parsed);
  }
  names.sort((a, b) => a.seq - b.seq);
  return { names, unparsable };
}
