// Pure conversion between stored bytes and cluster states: malformed data becomes a value, never an exception.
import { DugongError } from '../errors.js';
import { parseClusterState, type ClusterState } from '../schema/index.js';
import type { StateRead } from './coordinator.js';

export type StoredStateRead = Exclude<StateRead, { readonly kind: 'absent' }>;

/** `data` is undefined for an empty node (that is what the ZooKeeper client returns). */
export function decodeState(data: Buffer | undefined, version: number): StoredStateRead {
  const raw = data === undefined ? '' : data.toString('utf8');
  if (raw.trim() === '') return { kind: 'invalid', problems: ['(root): node is empty'], version, raw };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'invalid', problems: [`(root): not JSON (${reason})`], version, raw };
  }
  const result = parseClusterState(parsed);
  if (!result.ok) return { kind: 'invalid', problems: result.problems, version, raw };
  return { kind: 'valid', state: result.state, version };
}

/** Refuses to store a state that readers would reject: a writer bug must not become cluster-wide data. */
export function encodeState(state: ClusterState, operation: string): Buffer {
  const result = parseClusterState(state);
  if (!result.ok) {
    throw new DugongError('DUGONG_ERR_STATE_INVALID', `${operation}: refusing to write an invalid cluster state`, {
      operation,
      problems: result.problems,
    });
  }
  return Buffer.from(JSON.stringify(result.state), 'utf8');
}
