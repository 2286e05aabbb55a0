// Renders pg_hba.conf: who may connect, and who may stream WAL, from where.

export type HbaAuthMethod = 'trust' | 'scram-sha-256' | 'md5' | 'password' | 'reject';

export interface HbaSpec {
  /** trust is for development on loopback; anything else needs passwords set on the roles (and a passfile for replication). */
  readonly authMethod: HbaAuthMethod;
  readonly replicationUser: string;
  /** CIDRs peers stream WAL from (each peer's address as seen by its upstream). */
  readonly replicationNetworks: readonly string[];
  /** CIDRs applications and the sitter connect from. */
  readonly clientNetworks: readonly string[];
}

export const DEFAULT_HBA: HbaSpec = {
  authMethod: 'trust',
  replicationUser: 'postgres',
  replicationNetworks: ['127.0.0.1/32'],
  clientNetworks: ['127.0.0.1/32'],
};

// A CIDR, a bare address or one of pg_hba's keywords; whitespace or '#' would change the line's meaning.
const ADDRESS = /^(samehost|samenet|all|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;
const ROLE = /^[A-Za-z_][A-Za-z0-9_$]*$/;

export function renderHba(spec: HbaSpec): string {
  if (!ROLE.test(spec.replicationUser)) throw new RangeError(`not a plain role name: ${JSON.stringify(spec.replicationUser)}`);
  for (const network of [...spec.replicationNetworks, ...spec.clientNetworks]) {
    if (!ADDRESS.test(network)) throw new RangeError(`not an address or CIDR: ${JSON.stringify(network)}`);
  }
  const method = spec.authMethod;
  const rows: string[][] = [
    ['local', 'all', 'all', '', method],
    ['local', 'replication', spec.replicationUser, '', method],
    ...unique(spec.clientNetworks).map((network) => ['host', 'all', 'all', network, method]),
    ...unique(spec.replicationNetworks).map((network) => ['host', 'replication', spec.replicationUser, network, method]),
  ];
  const lines = rows.map((row) => row.map((field) => field.padEnd(14)).join(' ').trimEnd());
  return ['# Written by Dugong initdb. TYPE DATABASE USER ADDRESS METHOD', ...lines, ''].join('\n');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
