// Derives the application_name a standby reports to its upstream from its peer id, in a form that is safe everywhere it is written.
import { createHash } from 'node:crypto';

/** PostgreSQL keeps NAMEDATALEN - 1 bytes of an application_name and silently truncates the rest. */
export const MAX_APPLICATION_NAME_BYTES = 63;

const SAFE_NAME = /^[a-z0-9_]{1,63}$/;

/**
 * "10.0.0.1:5432:10002" → "10_0_0_1_5432_10002". Only [a-z0-9_] survive, so the name needs no escaping in
 * primary_conninfo or synchronous_standby_names; a name that would be truncated by the server is shortened
 * here instead, with a hash suffix so two long ids cannot collapse onto the same name.
 */
export function applicationNameForPeer(peerId: string): string {
  if (peerId === '') throw new RangeError('peer id must not be empty');
  const name = peerId.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (name.length <= MAX_APPLICATION_NAME_BYTES) return name;
  const digest = createHash('sha256').update(peerId).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_APPLICATION_NAME_BYTES - digest.length - 1)}_${digest}`;
}

/** True for names applicationNameForPeer can produce; anything else is refused before it reaches a conf file. */
export function isSafeApplicationName(name: string): boolean {
  return SAFE_NAME.test(name);
}
