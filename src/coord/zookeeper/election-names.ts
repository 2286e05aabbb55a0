// Pure parsing of election node names and payloads into the ordered, de-duplicated active list.
import { ElectionPayloadSchema, PeerIdSchema, formatIssues, peerFromElection, type PeerId } from '../../schema/index.js';
import type { ActiveEntry, ActiveList, RejectedElectionNode } from '../coordinator.js';

/** ZooKeeper appends a 10-digit, zero-padded counter to sequential nodes. */
const SEQUENCE_PATTERN = /^\d{10}$/;

export interface ElectionCandidate {
  readonly id: PeerId;
  readonly seq: number;
  readonly nodeName: string;
}

export type NameParse =
  | { readonly ok: true; readonly candidate: ElectionCandidate }
  | { readonly ok: false; readonly problem: string };

/** Splits at the LAST '-': ids may contain '-' (host names), the counter never does. */
export function parseElectionNodeName(nodeName: string): NameParse {
  const dash = nodeName.lastIndexOf('-');
  if (dash <= 0) return { ok: false, problem: 'name is not "<peerId>-<sequence>"' };
  const idPart = nodeName.slice(0, dash);
  const seqPart = nodeName.slice(dash + 1);
  if (!SEQUENCE_PATTERN.test(seqPart)) return { ok: false, problem: `sequence "${seqPart}" is not 10 digits` };
  const id = PeerIdSchema.safeParse(idPart);
  if (!id.success) return { ok: false, problem: `peer id "${idPart}": ${id.error.issues.map((i) => i.message).join('; ')}` };
  return { ok: true, candidate: { id: id.data, seq: Number(seqPart), nodeName } };
}

export interface CandidateSelection {
  /** One per peer id (its highest sequence), ordered by sequence. */
  readonly candidates: readonly ElectionCandidate[];
  readonly rejected: readonly RejectedElectionNode[];
}

/** A restarted peer registers again before its old session expires: its newest node (highest seq) wins. */
export function selectCandidates(nodeNames: readonly string[]): CandidateSelection {
  const newest = new Map<PeerId, ElectionCandidate>();
  const rejected: RejectedElectionNode[] = [];
  for (const nodeName of nodeNames) {
    const parsed = parseElectionNodeName(nodeName);
    if (!parsed.ok) {
      rejected.push({ nodeName, problems: [parsed.problem] });
      continue;
    }
    const current = newest.get(parsed.candidate.id);
    if (current === undefined || parsed.candidate.seq > current.seq) newest.set(parsed.candidate.id, parsed.candidate);
  }
  const candidates = [...newest.values()].sort((a, b) => a.seq - b.seq);
  return { candidates, rejected: rejected.sort((a, b) => a.nodeName.localeCompare(b.nodeName)) };
}

/** The payload read for a candidate: `gone` when the node vanished between listing and reading. */
export type PayloadRead = { readonly kind: 'data'; readonly data: Buffer | undefined } | { readonly kind: 'gone' };

export type PayloadParse =
  | { readonly ok: true; readonly entry: ActiveEntry }
  | { readonly ok: false; readonly problems: readonly string[] };

export function parseElectionPayload(candidate: ElectionCandidate, data: Buffer | undefined): PayloadParse {
  const text = data === undefined ? '' : data.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problems: ['(root): payload is not JSON'] };
  }
  const payload = ElectionPayloadSchema.safeParse(json);
  if (!payload.success) return { ok: false, problems: formatIssues(payload.error.issues) };
  const peer = peerFromElection(candidate.id, payload.data);
  return { ok: true, entry: { peer, seq: candidate.seq, nodeName: candidate.nodeName } };
}

/** Joins candidates with their payloads (same order as `candidates`); vanished nodes are simply not active. */
export function buildActiveList(selection: CandidateSelection, payloads: readonly PayloadRead[]): ActiveList {
  const entries: ActiveEntry[] = [];
  const rejected: RejectedElectionNode[] = [...selection.rejected];
  selection.candidates.forEach((candidate, index) => {
    const read = payloads[index];
    if (read === undefined || read.kind === 'gone') return;
    const parsed = parseElectionPayload(candidate, read.data);
    if (parsed.ok) entries.push(parsed.entry);
    else rejected.push({ nodeName: candidate.nodeName, problems: parsed.problems });
  });
  return { entries, rejected };
}
