// PURE: parsers for command-line values; a bad value is a usage error (exit status 2), reported by commander.
import { InvalidArgumentError } from 'commander';

export function parsePositiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a number greater than 0');
  return parsed;
}

export function parseCount(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a whole number greater than 0');
  return parsed;
}

export function parseIndex(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed)) throw new InvalidArgumentError('must be a whole number from 0');
  return parsed;
}

export function parseRole(value: string): 'sync' | 'async' {
  if (value === 'sync' || value === 'async') return value;
  throw new InvalidArgumentError('must be "sync" or "async"');
}

/** A byte count, optionally with a unit: 1048576, 512kB, 16MB, 1GB (units of 1024, as PostgreSQL reads them). */
export function parseBytes(value: string): number {
  const match = /^(\d+)\s*(B|kB|KB|MB|GB)?$/.exec(value.trim());
  if (match === null) throw new InvalidArgumentError('must be bytes, e.g. 1048576, 512kB, 16MB or 1GB');
  const units: Record<string, number> = { B: 1, kB: 1024, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  return Number(match[1]) * (units[match[2] ?? 'B'] ?? 1);
}
