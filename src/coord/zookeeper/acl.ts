// The shard's ZooKeeper identity: the digest credential, the ACL of every znode the shard creates, and client auth.
import { createHash } from 'node:crypto';
import zookeeper, { type ACL, type Client } from 'node-zookeeper-client';

/** A ZooKeeper `digest` identity: `user` may not contain ':' (ZooKeeper splits at the first one). */
export interface ZkCredential {
  readonly user: string;
  readonly password: string;
}

/**
 * How a coordinator treats znodes it creates:
 * - `digest`: authenticates every session, creates with ALL for the credential and READ for world:anyone;
 * - `open`: no auth, world:anyone:cdrwa (the `insecureOpenAcl` opt-in, and Manatee's historical layout);
 * - `read-only`: no auth and creates nothing (topology clients, `dugong-adm` reads without a credential).
 */
export type ZkAccess =
  | { readonly kind: 'digest'; readonly credential: ZkCredential }
  | { readonly kind: 'open' }
  | { readonly kind: 'read-only' };

/** `user:base64(sha1(user:password))`, the id ZooKeeper's DigestAuthenticationProvider derives from the auth packet. */
export function digestIdOf(credential: ZkCredential): string {
  const hash = createHash('sha1').update(`${credential.user}:${credential.password}`, 'utf8').digest('base64');
  return `${credential.user}:${hash}`;
}

const anyone = (): InstanceType<typeof zookeeper.Id> => new zookeeper.Id('world', 'anyone');

/** The ACL list for new znodes; undefined when this access may not create anything. */
export function aclFor(access: ZkAccess): ACL[] | undefined {
  switch (access.kind) {
    case 'digest':
      return [
        new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('digest', digestIdOf(access.credential))),
        // Topology clients and Manatee-layout tools read without credentials.
        new zookeeper.ACL(zookeeper.Permission.READ, anyone()),
      ];
    case 'open':
      return [new zookeeper.ACL(zookeeper.Permission.ALL, anyone())];
    case 'read-only':
      return undefined;
  }
}

/**
 * Registers the credential on a client before `connect()`: the library keeps it and re-sends it after the
 * handshake of every reconnection of that client. A client made after a session expiry needs it again.
 */
export function authenticate(client: Client, access: ZkAccess): void {
  if (access.kind !== 'digest') return;
  client.addAuthInfo('digest', Buffer.from(`${access.credential.user}:${access.credential.password}`, 'utf8'));
}
