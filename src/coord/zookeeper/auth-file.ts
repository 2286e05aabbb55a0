// The shard's ZooKeeper credential file (`zookeeper.authFile`): one line `user:password`, private to root or us, strong.
import { DugongError } from '../../errors.js';
import { readPrivateFile } from '../../platform/private-file.js';
import { credentialWeaknesses } from '../../schema/secret-strength.js';
import type { ZkCredential } from './acl.js';

/** Anyone who reaches ZooKeeper may guess online; 24 random characters are far beyond that. */
export const MIN_ZK_PASSWORD_LENGTH = 24;
const USER = /^[A-Za-z0-9_.@-]+$/;

/** Every way the password falls short (the shared credential rule, any character classes); empty when strong enough. */
export function zkPasswordWeaknesses(password: string): string[] {
  return credentialWeaknesses(password, { minLength: MIN_ZK_PASSWORD_LENGTH, minClasses: 1 });
}

/** PURE: parses the file's text (one line; a trailing newline is fine). `where` names the file in messages. */
export function parseZkCredential(text: string, where: string): ZkCredential {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const line = lines[0] ?? '';
  const colon = line.indexOf(':');
  if (lines.length !== 1 || colon <= 0) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `${where}: must hold one line "user:password"`, { path: where });
  }
  const user = line.slice(0, colon);
  const password = line.slice(colon + 1);
  if (!USER.test(user)) {
    throw new DugongError('DUGONG_ERR_CONFIG_INVALID', `${where}: the user must be letters, digits and "_.@-"`, { path: where });
  }
  const problems = zkPasswordWeaknesses(password);
  if (problems.length > 0) {
    throw new DugongError('DUGONG_ERR_ZK_AUTH_WEAK', `${where}: the ZooKeeper password is too weak: ${problems.join(', ')}`, { path: where, problems });
  }
  return { user, password };
}

/** Reads and checks the file once (at start): exposed → DUGONG_ERR_ZK_AUTH_FILE_UNSAFE, weak → _ZK_AUTH_WEAK. */
export async function loadZkCredential(path: string): Promise<ZkCredential> {
  return parseZkCredential(await readPrivateFile(path, 'ZooKeeper auth file', 'DUGONG_ERR_ZK_AUTH_FILE_UNSAFE'), path);
}
