// Parses the `lag` query parameter of /replica: bytes, optionally with a kB/MB/GB unit as Patroni accepts.
import { z } from 'zod';

const UNIT_BYTES: Readonly<Record<string, number>> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export const LagQuerySchema = z.object({
  lag: z
    .string()
    .max(32)
    .regex(/^\d{1,15}\s*(b|kb|mb|gb)?$/i, 'must be a byte count, optionally with a unit: 1048576, 16kB, 1MB')
    .transform((text) => {
      const match = /^(\d+)\s*([a-z]*)$/i.exec(text);
      const amount = Number(match?.[1] ?? '0');
      const unit = (match?.[2] ?? '').toLowerCase();
      return amount * (UNIT_BYTES[unit] ?? 1);
    })
    .optional(),
});
