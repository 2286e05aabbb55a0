// The error catalogue: every failure Dugong reports carries one of these stable codes (documented in docs/errors.md).

export const ERROR_CATALOGUE = {
  DUGONG_ERR_CONFIG_INVALID: {
    meaning: 'A configuration file is missing, is not JSON, or fails validation.',
    action: 'Fix the fields named in the message; the daemon started nothing.',
  },
  DUGONG_ERR_STATE_INVALID: {
    meaning: 'Coordination data (cluster state or an election node) failed validation.',
    action: 'Inspect it with `dugong-adm state`; the sitter takes no action until a valid state is written.',
  },
  DUGONG_ERR_COORD_TIMEOUT: {
    meaning: 'A coordination call did not complete within its timeout (usually: ZooKeeper unreachable).',
    action: 'Check ZooKeeper health and the network; the call is retried by the caller.',
  },
  DUGONG_ERR_COORD_CONFLICT: {
    meaning: 'A compare-and-set on the cluster state lost a race: someone else wrote first.',
    action: 'None: the writer re-reads and decides again. Operators: re-run the command.',
  },
  DUGONG_ERR_COORD_EXISTS: {
    meaning: 'A create-if-absent found the node already present.',
    action: 'None: another peer created it first; the state it wrote is used.',
  },
  DUGONG_ERR_COORD_NO_NODE: {
    meaning: 'A coordination node that was expected to exist is missing.',
    action: 'Check the shard path; a fresh shard has no state until two peers are up.',
  },
  DUGONG_ERR_COORD_SESSION_EXPIRED: {
    meaning: 'The coordination session expired; its ephemeral nodes are gone.',
    action: 'None: the sitter opens a new session and registers again.',
  },
  DUGONG_ERR_COORD_FAILED: {
    meaning: 'The coordination service returned an unexpected error.',
    action: 'Read the cause in the message and the ZooKeeper logs.',
  },
  DUGONG_ERR_COMMAND_FAILED: {
    meaning: 'An external command (zfs, zpool, pg_ctl, initdb, ...) exited with an error.',
    action: 'The message names the command and its stderr; fix the cause it describes.',
  },
  DUGONG_ERR_PG_UNAVAILABLE: {
    meaning: 'PostgreSQL did not answer (not running, refusing connections, or timed out).',
    action: 'Check the PostgreSQL log in the data directory; the sitter restarts it when it owns it.',
  },
  DUGONG_ERR_PG_QUERY_FAILED: {
    meaning: 'A query to PostgreSQL failed.',
    action: 'The message carries the server error; check the PostgreSQL log.',
  },
  DUGONG_ERR_PG_TIMEOUT: {
    meaning: 'A PostgreSQL operation (start, stop, query, catch-up) did not finish within its budget.',
    action: 'Check load and the PostgreSQL log; raise the timeout in the config if the machine is slow.',
  },
  DUGONG_ERR_PG_LEFTOVER: {
    meaning: 'A PostgreSQL server (or its backends) from an earlier run still holds the data directory, or postmaster.pid names a live process that is not PostgreSQL.',
    action: 'The sitter stops a leftover server of its own data directory before starting; for a foreign PID, check nothing uses the data directory, then remove postmaster.pid.',
  },
  DUGONG_ERR_WAL_INVALID: {
    meaning: 'A WAL position was not of the form "X/Y" in hexadecimal.',
    action: 'Report it: a WAL position from PostgreSQL or the cluster state is malformed.',
  },
  DUGONG_ERR_ZFS_NOT_FOUND: {
    meaning: 'A ZFS dataset or snapshot does not exist.',
    action: 'Check the dataset name in the config; create the parent dataset if this is a new peer.',
  },
  DUGONG_ERR_ZFS_NAME_INVALID: {
    meaning: 'A ZFS dataset, snapshot or property name (or a mountpoint) failed validation; no zfs command was run.',
    action: 'Fix the name: datasets are pool/child of letters, digits and "_-.:"; Dugong snapshots are 13-digit epoch milliseconds.',
  },
  DUGONG_ERR_BAD_REQUEST: {
    meaning: 'An HTTP request was malformed or named something it may not.',
    action: 'Fix the request; nothing was changed.',
  },
  DUGONG_ERR_UNAUTHORIZED: {
    meaning: 'An HTTP request lacked the shard secret or carried a wrong one.',
    action: 'Give the same backup secret to every peer of the shard.',
  },
  DUGONG_ERR_BACKUP_NOT_FOUND: {
    meaning: 'The backup server has no such snapshot (of its own dataset) or no such send job (unknown, or expired).',
    action: 'List the snapshots with GET /snapshots and ask again; a job id is valid only until its job expires.',
  },
  DUGONG_ERR_BACKUP_BUSY: {
    meaning: 'The backup server is already running as many sends as it is configured to (maxConcurrentSends).',
    action: 'Retry later (the response says when); raise maxConcurrentSends if peers routinely wait.',
  },
  DUGONG_ERR_INTERNAL: {
    meaning: 'An unexpected error inside a Dugong daemon (a bug, or a resource problem such as file descriptors).',
    action: 'Report it with the message and the daemon log around it.',
  },
  DUGONG_ERR_RESTORE_FAILED: {
    meaning: 'Receiving a snapshot stream from a backup server failed: unreachable, refused, truncated, stalled, rejected by zfs recv, or aborted.',
    action: 'The details say which (`kind`) and whether a retry may help; the target dataset was left as it was before.',
  },
  DUGONG_ERR_USAGE: {
    meaning: 'A command or a library function was called with invalid arguments or options (dugong-adm exits with status 2).',
    action: 'Run the command with --help for its usage; nothing was read or changed.',
  },
  DUGONG_ERR_ADM_REFUSED: {
    meaning: 'An operator command was refused because a precondition does not hold (frozen, target lagging, nobody to take a role, a request already pending, nothing to change).',
    action: 'The message names the precondition; fix it (or, where the message offers it, pass --force) and re-run. Nothing was written.',
  },
  DUGONG_ERR_PROMOTE_FAILED: {
    meaning: 'A promote request was written but the shard did not carry it out: it expired, was cleared or replaced, or another generation change came first.',
    action: "Read the primary's status API (GET /state waitingReason, GET /history) for why, check `dugong-adm verify`, then re-run `dugong-adm promote`.",
  },
} as const satisfies Record<string, { meaning: string; action: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** The one error type Dugong throws; `code` is stable, `details` is structured context for logs. */
export class DugongError extends Error {
  override readonly name = 'DugongError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
  }
}

export function isDugongError(error: unknown, code?: ErrorCode): error is DugongError {
  return error instanceof DugongError && (code === undefined || error.code === code);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
