// Shared shapes of the operator CLI: exit statuses, the output sink, the shard target and the context every verb runs in.
import type { Coordinator, ZkAccess, ZkCredential } from '../coord/index.js';
import type { Clock } from '../platform/clock.js';
import type { Peer } from '../schema/index.js';
import type { SitterConfig } from '../schema/sitter-config.js';
import type { PgProbe } from './pg-probe.js';
import type { HttpJson } from './sitter-api.js';

/** 0 = done, 1 = failed (or `verify` found an error), 2 = the command line was wrong. */
export type ExitStatus = 0 | 1 | 2;
export const EXIT_OK: ExitStatus = 0;
export const EXIT_FAILED: ExitStatus = 1;
export const EXIT_USAGE: ExitStatus = 2;

/** Where text goes: process.stdout/stderr in the CLI, string buffers in tests. */
export interface TextSink {
  write(text: string): unknown;
}

export interface AdmIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/** Which shard to talk to, from -z/-s or from a sitter config (-c). */
export interface ShardTarget {
  readonly connectString: string;
  readonly shardPath: string;
  readonly sessionTimeoutMs: number;
  readonly callTimeoutMs: number;
  /** Mutations authenticate as the shard (--auth-file, or -c's zookeeper.authFile); reads need nothing. */
  readonly access: ZkAccess;
}

/** The adapters a verb may use; tests replace them. */
export interface AdmDeps {
  readonly clock: Clock;
  /** A coordinator for the target, not yet started. */
  createCoordinator(target: ShardTarget): Coordinator;
  /** Asks one peer's PostgreSQL for its positions and replication; never throws. */
  probe(peer: Peer, timeoutMs: number): Promise<PgProbe>;
  loadSitterConfig(path: string): Promise<SitterConfig>;
  /** Reads a ZooKeeper auth file (`user:password`, mode 600). */
  loadZkCredential(path: string): Promise<ZkCredential>;
  /** JSON over HTTP to a sitter's status API (rebuild talks to the local sitter). */
  readonly http: HttpJson;
}

export interface AdmContext {
  readonly io: AdmIo;
  /** --json: one JSON document on stdout instead of text. */
  readonly json: boolean;
  readonly target: ShardTarget;
  /** The sitter config given with -c, if any (rebuild needs it: it acts on the local peer). */
  readonly config: SitterConfig | null;
  readonly deps: AdmDeps;
  /** Budget of each PostgreSQL probe: short, so one hung peer does not stall the report. */
  readonly probeTimeoutMs: number;
}
