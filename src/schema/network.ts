// IP addresses and networks (CIDRs) in daemon configs, checked by zod's own address validators at parse time.
import { z } from 'zod';

const ADDRESS_CHECKS = [z.ipv4(), z.ipv6()];
const NETWORK_CHECKS = [...ADDRESS_CHECKS, z.cidrv4(), z.cidrv6()];

/** An IPv4 or IPv6 address, e.g. "10.0.0.11" or "fd00::11"; no host names (they could resolve differently later). */
export const IpAddressSchema = z
  .string()
  .refine((value) => ADDRESS_CHECKS.some((check) => check.safeParse(value).success), 'must be an IPv4 or IPv6 address like "10.0.0.11"');

/** An address, or a network with a prefix length its family allows ("10.0.0.0/24", "fd00::/64"); no zone index. */
export const NetworkSchema = z
  .string()
  .refine((value) => NETWORK_CHECKS.some((check) => check.safeParse(value).success), 'must be an address or CIDR like "10.0.0.0/24"');
