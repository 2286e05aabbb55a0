// A shard member as it appears in the cluster state and in its election node (Manatee v2 compatible).
import { z } from 'zod';

/** `ip:pgPort:backupPort`, the identity Manatee uses in election node names. */
export const PeerIdSchema = z
  .string()
  .regex(/^[0-9A-Za-z.\-[\]:]+:\d{1,5}:\d{1,5}$/, 'must be "ip:pgPort:backupPort"');
export type PeerId = z.infer<typeof PeerIdSchema>;

export const PeerSchema = z.object({
  id: PeerIdSchema,
  ip: z.string().min(1),
  pgUrl: z.string().regex(/^tcp:\/\/[^@\s]+@[^:\s/]+:\d{1,5}\/[^\s]*$/, 'must be "tcp://user@host:port/db"'),
  zoneId: z.string().min(1),
  backupUrl: z.string().regex(/^https?:\/\/[^\s/]+(:\d{1,5})?\/?$/, 'must be "http://host:port"'),
});
export type Peer = z.infer<typeof PeerSchema>;

/** Payload of `<shardPath>/election/<peerId>-<seq>`; the id comes from the node name. */
export const ElectionPayloadSchema = z.object({
  zoneId: z.string().min(1),
  ip: z.string().min(1),
  pgUrl: PeerSchema.shape.pgUrl,
  backupUrl: PeerSchema.shape.backupUrl,
});
export type ElectionPayload = z.infer<typeof ElectionPayloadSchema>;

export function peerFromElection(id: PeerId, payload: ElectionPayload): Peer {
  return { id, ...payload };
}
