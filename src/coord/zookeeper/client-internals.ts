// Work-arounds that reach into node-zookeeper-client 1.1.3 internals, each shape-checked so a changed library fails loudly.
import type { Client, Transaction } from 'node-zookeeper-client';
import { coordError } from '../coord-errors.js';

/**
 * `Transaction.check/setData/remove` do `version = version || -1`, so an expected version of 0 silently becomes
 * "any version" and a compare-and-set right after create-if-absent would always succeed (measured: a stale
 * write at version 0 was applied). Pin the real version on the op the builder just queued.
 */
export function pinLastOpVersion(transaction: Transaction, version: number): void {
  const ops: unknown = (transaction as unknown as { ops?: unknown }).ops;
  const last: unknown = Array.isArray(ops) ? ops[ops.length - 1] : undefined;
  if (typeof last !== 'object' || last === null || !('version' in last)) {
    throw coordError(
      { kind: 'failed', operation: 'transaction' },
      'node-zookeeper-client internals changed: cannot pin the op version (compare-and-set would be unsafe)',
    );
  }
  (last as { version: number }).version = version;
}

/**
 * Drops the client's socket. After `close()` (state CLOSING) or an expiry the library then stops for good;
 * without this a client whose server never answers keeps its socket (and the Node process) alive.
 */
export function destroySocket(client: Client): void {
  const manager: unknown = (client as unknown as { connectionManager?: unknown }).connectionManager;
  if (typeof manager !== 'object' || manager === null || !('socket' in manager)) return;
  const socket: unknown = (manager as { socket: unknown }).socket;
  if (typeof socket === 'object' && socket !== null && 'destroy' in socket) {
    const destroy: unknown = (socket as { destroy: unknown }).destroy;
    if (typeof destroy === 'function') destroy.call(socket);
  }
}
