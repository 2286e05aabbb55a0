// Strict validation of dataset, snapshot and property names and mountpoints, before any of them reaches a zfs command line.
import { posix } from 'node:path';
import { DugongError } from '../errors.js';

declare const datasetBrand: unique symbol;
declare const snapshotBrand: unique symbol;

/** A validated dataset name: `pool/child/...`. */
export type DatasetName = string & { readonly [datasetBrand]: true };
/** A validated Dugong snapshot name (the part after `@`): 13-digit epoch milliseconds. */
export type SnapshotName = string & { readonly [snapshotBrand]: true };

export interface SnapshotRef {
  readonly dataset: DatasetName;
  readonly snapshot: SnapshotName;
}

// ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL.
const MAX_NAME_LENGTH = 255;
// A pool name starts with a letter; every later component starts with a letter, digit or underscore. Neither may
// start with `-` (it would be read as an option), `.` (no `.`/`..` path tricks) or contain `@`, `%`, `/` or blanks.
const POOL_COMPONENT = /^[A-Za-z][A-Za-z0-9_.:-]*$/;
const CHILD_COMPONENT = /^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
// Names that zpool reserves for vdev types.
const RESERVED_POOL = /^(mirror|raidz\d*|draid\d*|spare|log|cache|special|dedup|c[0-9].*)$/;
// 13 digits with no leading zero: epoch milliseconds from 2001-09-09 until the year 2286.
const SNAPSHOT = /^[1-9][0-9]{12}$/;
const NATIVE_PROPERTY = /^[a-z][a-z0-9_]*$/;
// User properties must contain a colon (module:property), per zfsprops(7).
const USER_PROPERTY = /^[a-z0-9_][a-z0-9_.+-]*:[a-z0-9_.:+-]+$/;
const MAX_PROPERTY_VALUE_LENGTH = 1024;

function invalid(what: string, value: unknown, why: string): DugongError {
  return new DugongError('DUGONG_ERR_ZFS_NAME_INVALID', `invalid ${what} ${JSON.stringify(value)}: ${why}`, { what, value });
}

export function isDatasetName(value: unknown): value is DatasetName {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) return false;
  const [pool, ...children] = value.split('/');
  if (pool === undefined || !POOL_COMPONENT.test(pool) || RESERVED_POOL.test(pool)) return false;
  return children.every((component) => CHILD_COMPONENT.test(component));
}

export function parseDatasetName(value: unknown): DatasetName {
  if (isDatasetName(value)) return value;
  throw invalid('dataset name', value, 'expected pool/child/... of letters, digits and "_-.:", each part starting with a letter, digit or "_"');
}

export function isSnapshotName(value: unknown): value is SnapshotName {
  return typeof value === 'string' && SNAPSHOT.test(value);
}

export function parseSnapshotName(value: unknown): SnapshotName {
  if (isSnapshotName(value)) return value;
  throw invalid('snapshot name', value, 'expected 13 decimal digits of epoch milliseconds, e.g. 1763782800000');
}

/** The snapshot name for a moment in time. */
export function snapshotNameAt(epochMs: number): SnapshotName {
  // String() of a fraction, NaN or a huge number never matches the 13-digit pattern, so those are rejected too.
  return parseSnapshotName(String(epochMs));
}

export function snapshotEpochMs(snapshot: SnapshotName): number {
  return Number(snapshot);
}

/** Parses `pool/ds@1763782800000`: exactly one `@`, a valid dataset before it and a Dugong snapshot name after it. */
export function parseSnapshotRef(value: unknown): SnapshotRef {
  if (typeof value !== 'string') throw invalid('snapshot', value, 'expected a string');
  const parts = value.split('@');
  if (parts.length !== 2) throw invalid('snapshot', value, 'expected exactly one "@" (dataset@epochMs)');
  return { dataset: parseDatasetName(parts[0]), snapshot: parseSnapshotName(parts[1]) };
}

export function formatSnapshotRef(ref: SnapshotRef): string {
  return `${ref.dataset}@${ref.snapshot}`;
}

export function snapshotRef(dataset: string, snapshot: string): SnapshotRef {
  return { dataset: parseDatasetName(dataset), snapshot: parseSnapshotName(snapshot) };
}

export function parsePropertyName(value: unknown): string {
  if (typeof value === 'string' && value.length <= MAX_NAME_LENGTH && (NATIVE_PROPERTY.test(value) || USER_PROPERTY.test(value))) {
    return value;
  }
  throw invalid('property name', value, 'expected a native property (lowercase) or a user property "module:name"');
}

export function parsePropertyValue(value: unknown): string {
  // Control characters would break the tab/newline separated output we parse back.
  // eslint-disable-next-line no-control-regex
  if (typeof value === 'string' && value.length <= MAX_PROPERTY_VALUE_LENGTH && !/[\u0000-\u001f\u007f]/.test(value)) return value;
  throw invalid('property value', value, `expected at most ${MAX_PROPERTY_VALUE_LENGTH} characters without control characters`);
}

/** `none`, `legacy`, or an absolute, already-normalised path (no `.`/`..` parts, no `//`, no trailing `/`). */
export function parseMountpoint(value: unknown): string {
  if (value === 'none' || value === 'legacy') return value;
  const path = typeof value === 'string' ? parsePropertyValue(value) : undefined;
  if (path !== undefined && path.startsWith('/') && path.length > 1 && posix.normalize(path) === path && !path.endsWith('/')) {
    return path;
  }
  throw invalid('mountpoint', value, 'expected "none", "legacy" or a normalised absolute path');
}
