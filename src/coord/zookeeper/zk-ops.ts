// Promise wrappers around one node-zookeeper-client Client; each op refuses to start once its call has been abandoned.
import zookeeper, { type ACL, type Client, type Event, type Stat, type Transaction } from 'node-zookeeper-client';
import type { DugongError } from '../../errors.js';
import { coordError, coordErrorKind } from '../coord-errors.js';
import { pinLastOpVersion } from './client-internals.js';
import { fromZkError } from './zk-errors.js';

export type Watcher = (event: Event) => void;

/** One result of a committed transaction, as the library reports it. */
export interface TransactionResult {
  readonly type: number;
  readonly path?: string;
  readonly stat?: Stat;
}

export type TransactionOp =
  | { readonly op: 'create'; readonly path: string; readonly data: Buffer; readonly mode: number }
  | { readonly op: 'setData'; readonly path: string; readonly data: Buffer; readonly version: number };

export class ZkOps {
  constructor(
    readonly client: Client,
    /** The session this client belongs to (see ZkSession). */
    readonly epoch: number,
    private readonly operation: string,
    /** Returns the error to throw when the call was abandoned (timed out or closed), else undefined. */
    private readonly abandoned: () => DugongError | undefined,
    /** The ACL of every node created (see acl.ts); undefined: this coordinator creates nothing. */
    private readonly acl: ACL[] | undefined = undefined,
  ) {}

  private start(): void {
    const reason = this.abandoned();
    if (reason !== undefined) throw reason;
    // The library re-sends our credential behind packets already queued while disconnected: such a packet would
    // reach the server unauthenticated. Fail it as a connection loss instead (the caller re-reads and retries).
    if (this.client.getState() !== zookeeper.State.SYNC_CONNECTED) {
      throw coordError({ kind: 'connection-loss', operation: this.operation }, 'not connected');
    }
  }

  private aclFor(path: string): ACL[] {
    if (this.acl !== undefined) return this.acl;
    throw coordError({ kind: 'no-auth', operation: this.operation, path }, `no ZooKeeper credential: creating ${path} needs the shard's credential`);
  }

  private settle<T>(path: string, issue: (done: (error: unknown, value: T) => void) => void): Promise<T> {
    this.start();
    return new Promise<T>((resolve, reject) => {
      issue((error, value) => {
        if (error !== null && error !== undefined) reject(fromZkError(error, this.operation, path));
        else resolve(value);
      });
    });
  }

  getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return this.settle<string[]>(path, (done) => {
      if (watcher === undefined) this.client.getChildren(path, (e, children) => done(e, children));
      else this.client.getChildren(path, watcher, (e, children) => done(e, children));
    });
  }

  /** `data` is undefined for an empty node, whatever the typings say. */
  getData(path: string, watcher?: Watcher): Promise<{ data: Buffer | undefined; stat: Stat }> {
    type Read = { data: Buffer | undefined; stat: Stat };
    return this.settle<Read>(path, (done) => {
      const callback = (e: unknown, data: Buffer | undefined, stat: Stat): void => done(e, { data, stat });
      if (watcher === undefined) this.client.getData(path, callback);
      else this.client.getData(path, watcher, callback);
    });
  }

  /** The node's stat, or null when it does not exist (an existence watch is then left if a watcher is given). */
  exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    return this.settle<Stat | null>(path, (done) => {
      // The library passes null for a missing node although the typings say Stat.
      const callback = (e: unknown, stat: Stat | null): void => done(e, stat);
      if (watcher === undefined) this.client.exists(path, callback);
      else this.client.exists(path, watcher, callback);
    });
  }

  create(path: string, data: Buffer, mode: number): Promise<string> {
    const acl = this.aclFor(path);
    return this.settle<string>(path, (done) => this.client.create(path, data, acl, mode, (e, created) => done(e, created)));
  }

  remove(path: string, version = -1): Promise<void> {
    return this.settle<void>(path, (done) => this.client.remove(path, version, (e) => done(e, undefined)));
  }

  /**
   * Like `mkdir -p`, with our ACL. Not the library's: it creates every segment and skips only NodeExists, but
   * ZooKeeper checks CREATE on the parent first, so an existing node under a parent we may not write answers NoAuth.
   */
  async mkdirp(path: string): Promise<void> {
    if ((await this.exists(path)) !== null) return;
    let current = '';
    for (const segment of path.split('/').slice(1)) {
      current += `/${segment}`;
      if ((await this.exists(current)) !== null) continue;
      try {
        await this.create(current, Buffer.alloc(0), zookeeper.CreateMode.PERSISTENT);
      } catch (error) {
        if (coordErrorKind(error) !== 'exists') throw error;
      }
    }
  }

  /** All ops or none (ZooKeeper multi). Versions are pinned, so 0 means 0 (see client-internals). */
  commit(ops: readonly TransactionOp[]): Promise<TransactionResult[]> {
    const transaction: Transaction = this.client.transaction();
    for (const op of ops) {
      switch (op.op) {
        case 'create':
          transaction.create(op.path, op.data, this.aclFor(op.path), op.mode);
          break;
        case 'setData':
          transaction.setData(op.path, op.data, op.version);
          pinLastOpVersion(transaction, op.version);
          break;
      }
    }
    const firstPath = ops[0]?.path ?? '';
    return this.settle<TransactionResult[]>(firstPath, (done) =>
      transaction.commit((e, results: unknown) => done(e, Array.isArray(results) ? (results as TransactionResult[]) : [])),
    );
  }
}

export const CreateMode = zookeeper.CreateMode;
