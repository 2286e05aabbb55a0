// Runs one Coordinator call: waits for a connected session, then does the work, all within one deadline.
import type { ACL } from 'node-zookeeper-client';
import type { DugongError } from '../../errors.js';
import type { Clock } from '../../platform/clock.js';
import { setDeadline } from '../../platform/timeout.js';
import { coordError } from '../coord-errors.js';
import type { LiveClient } from './session.js';
import { fromZkError } from './zk-errors.js';
import { ZkOps } from './zk-ops.js';

/** What the runner needs from the session (narrow, so tests can fake it). */
export interface ConnectionSource {
  whenConnected(abort: AbortSignal): Promise<LiveClient>;
}

interface PendingCall {
  readonly operation: string;
  readonly fail: (error: DugongError) => void;
}

/**
 * The library queues requests forever while disconnected (and after expiry), so every call needs our own
 * deadline. Work only starts once connected, and no op is issued after the deadline: a call that timed out
 * while waiting for the connection is never executed later behind the caller's back.
 */
export class CallRunner {
  private readonly pending = new Set<PendingCall>();

  constructor(
    private readonly session: ConnectionSource,
    private readonly clock: Clock,
    private readonly callTimeoutMs: number,
    /** The ACL of the nodes calls create; undefined: they may create nothing (see ZkOps). */
    private readonly acl: ACL[] | undefined = undefined,
  ) {}

  run<T>(operation: string, work: (ops: ZkOps) => Promise<T>, timeoutMs = this.callTimeoutMs): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const abort = new AbortController();
      // Set once the call is settled; ZkOps refuses to issue anything afterwards.
      let abandonedBy: DugongError | undefined;
      const settle = (error: DugongError | undefined, value?: T): void => {
        if (abandonedBy !== undefined) return;
        abandonedBy = error ?? coordError({ kind: 'closed', operation }, 'call already completed');
        abort.abort();
        timer.cancel();
        this.pending.delete(call);
        if (error === undefined) resolve(value as T);
        else reject(error);
      };
      const call: PendingCall = { operation, fail: (error) => settle(error) };
      // A deadline, not a bare timer: after a pause of this process the answer may be waiting unread in the socket.
      const timer = setDeadline(this.clock, timeoutMs, () =>
        settle(coordError({ kind: 'timeout', operation, timeoutMs }, `no answer within ${timeoutMs} ms`)),
      );
      this.pending.add(call);
      this.session
        .whenConnected(abort.signal)
        .then((live) => work(new ZkOps(live.client, live.epoch, operation, () => abandonedBy, this.acl)))
        .then(
          (value) => settle(undefined, value),
          (error: unknown) => settle(fromZkError(error, operation)),
        );
    });
  }

  /** Rejects every call in flight with `closed` (close must not leave callers waiting for a late answer). */
  abandonAll(): void {
    for (const call of [...this.pending]) {
      call.fail(coordError({ kind: 'closed', operation: call.operation }, 'coordinator closed'));
    }
  }
}
