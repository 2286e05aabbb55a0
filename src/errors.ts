// The error catalogue: every failure Dugong reports carries one of these stable codes (documented in docs/errors.md).

export const ERROR_CATALOGUE = {
  DUGONG_ERR_CONFIG_INVALID: {
    meaning: 'A configuration file is missing, is not JSON, or fails validation.',
    action: 'Fix the fields named in the message; the daemon started nothing.',
  },
  DUGONG_ERR_STATE_INVALID: {
    meaning: 'Coordination data (cluster state or an election node) failed validation; a sitter also refuses a cluster state whose generation is above 2^40, or below one it has already seen (a rolled-back state).',
    action: 'Inspect it with `dugong-adm state`; the sitter logs why and takes no action until a valid state is written (a generation at least the highest it has seen).',
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
  DUGONG_ERR_FILE_TIMEOUT: {
    meaning: 'A file operation in the data directory or beside it (read, write, rename, chown, mkdir) did not finish within its deadline: the storage stopped answering (a hung mount, a suspended ZFS pool). The helper process was killed; the sitter itself is not blocked.',
    action: 'Check the storage (`zpool status`, the mount, dmesg); the sitter retries on its next step once it answers again.',
  },
  DUGONG_ERR_FILE_FAILED: {
    meaning: 'A file operation in the data directory, run as the server\'s user, failed (missing file, permission denied, disk full).',
    action: 'The message names the file and the error; a file the postgres user cannot read or write there (for example a symbolic link to a file outside the data directory) must be removed or fixed.',
  },
  DUGONG_ERR_FILE_UNSAFE: {
    meaning: 'A path the sitter must create or hand to the server\'s user as root is a symbolic link, a hard link or not a plain file or directory, so it was left untouched.',
    action: 'Inspect the path named in the message: something replaced it; remove it (after checking who did) and let the sitter create it again.',
  },
  DUGONG_ERR_WAL_INVALID: {
    meaning: 'A WAL position was not of the form "X/Y" in hexadecimal.',
    action: 'Report it: a WAL position from PostgreSQL or the cluster state is malformed.',
  },
  DUGONG_ERR_STANDBY_NOT_STREAMING: {
    meaning: 'A problem reported by the status API (`GET /state` problems) and `dugong-adm show`: a peer the cluster state names as a sync or an async is in recovery, but its WAL receiver is not streaming from its upstream, so it replays nothing new.',
    action: "Read the peer's PostgreSQL log: a line such as \"new timeline N forked off current database system timeline M before current recovery point\" means its data diverged from the new timeline and it needs a rebuild (`dugong-adm rebuild`); otherwise check that its upstream is up and reachable.",
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
  DUGONG_ERR_SECRET_WEAK: {
    meaning: 'The backup secret (in secretFile, or given to the backup server) is too weak: shorter than 32 characters, with blanks or characters outside visible ASCII, from one class of characters only (lower-case, upper-case, digits, symbols), or with fewer than 8 different characters.',
    action: 'Generate one, e.g. `openssl rand -hex 24 > backup.secret` (then chmod 600), and give the same secret to every peer of the shard; the daemon started nothing.',
  },
  DUGONG_ERR_SECRET_FILE_UNSAFE: {
    meaning: 'The backup secret file is not a regular file, gives group or others any access (mode & 077), or is owned by someone other than root or the user the daemon runs as.',
    action: 'chown it to root (or the daemon\'s user) and chmod 600 it; the daemon started nothing.',
  },
  DUGONG_ERR_ZK_AUTH_WEAK: {
    meaning: 'The ZooKeeper password in zookeeper.authFile (or dugong-adm --auth-file) is too weak: shorter than 24 characters, with blanks or characters outside visible ASCII, or with fewer than 8 different characters.',
    action: 'Generate one, e.g. `printf \'dugong:%s\\n\' "$(openssl rand -hex 24)" > zk-auth` (then chmod 600); every peer of the shard (and dugong-adm) needs the same file. The daemon started nothing.',
  },
  DUGONG_ERR_ZK_AUTH_FILE_UNSAFE: {
    meaning: 'The ZooKeeper auth file is not a regular file, gives group or others any access (mode & 077), or is owned by someone other than root or the user the daemon runs as.',
    action: 'chown it to root (or the daemon\'s user) and chmod 600 it; the daemon started nothing.',
  },
  DUGONG_ERR_COORD_NO_AUTH: {
    meaning: 'ZooKeeper refused a write (or a create) because this client is not authenticated as the shard: it has no credential, or another one than the one the shard\'s znodes were created with.',
    action: 'Give the shard\'s credential: the sitter config\'s zookeeper.authFile; for dugong-adm, -c <sitter.json> or --auth-file <file>. Nothing was written.',
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
