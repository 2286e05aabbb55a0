// PURE: what is wrong with this peer, in plain words with a stable code, for the `problems` of GET /state.
import type { ErrorCode } from '../errors.js';
import type { PeerRole, PgHealthSnapshot } from './status-snapshot.js';

export type StatusProblemCode = Extract<ErrorCode, 'DUGONG_ERR_STANDBY_NOT_STREAMING'>;

export interface StatusProblem {
  readonly code: StatusProblemCode;
  readonly message: string;
}

export interface ProblemInputs {
  readonly self: string;
  readonly role: PeerRole;
  /** The peer the cluster state says this one streams from; null for a primary or a peer outside the chain. */
  readonly upstream: string | null;
  readonly pg: PgHealthSnapshot;
}

/**
 * A standby that answers but whose WAL receiver does not stream replays nothing new: its role looks fine while
 * acknowledged writes never reach it (a rewound peer left on the old timeline waited like this forever).
 */
function notStreaming(inputs: ProblemInputs): StatusProblem | null {
  const { self, role, upstream, pg } = inputs;
  if (role !== 'sync' && role !== 'async') return null;
  if (!pg.healthy || pg.inRecovery !== true || pg.streaming !== false) return null;
  const from = upstream === null ? 'its upstream' : `its upstream ${upstream}`;
  const receiver = pg.walReceiver === null ? 'no WAL receiver running' : `WAL receiver ${pg.walReceiver}`;
  const since = pg.notStreamingSince === null ? '' : ` since ${pg.notStreamingSince}`;
  return { code: 'DUGONG_ERR_STANDBY_NOT_STREAMING', message: `peer ${self} is a standby (${role}) but is not streaming from ${from}${since} (${receiver})` };
}

export function statusProblems(inputs: ProblemInputs): StatusProblem[] {
  return [notStreaming(inputs)].filter((problem): problem is StatusProblem => problem !== null);
}
