// Parsers for the tab-separated `zfs get -Hp` / `zfs list -H` output and `zfs send -nvP` size lines.
import { DugongError } from '../errors.js';
import { isSnapshotName, parseDatasetName, type DatasetName, type SnapshotName } from './names.js';

export interface PropertyRow {
  readonly name: string;
  readonly property: string;
  readonly value: string;
}

export interface SnapshotInfo {
  readonly dataset: DatasetName;
  readonly snapshot: SnapshotName;
  /** `dataset@snapshot`, as zfs prints it. */
  readonly fullName: string;
  /** The `creation` property: whole seconds on every platform we know, kept as received. */
  readonly creationEpochSeconds: number;
  readonly usedBytes: number;
  readonly referencedBytes: number;
}

/** zfs printed something we cannot read: report it like a failed command, with the offending text. */
function unexpectedOutput(what: string, text: string): DugongError {
  return new DugongError('DUGONG_ERR_COMMAND_FAILED', `unexpected zfs output: ${what}: ${JSON.stringify(text)}`, { output: text });
}

function lines(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '');
}

/** Rows of `zfs get -Hp -o name,property,value ...`; a line that is not three tab-separated fields is an error. */
export function parsePropertyRows(output: string): PropertyRow[] {
  return lines(output).map((line) => {
    const fields = line.split('\t');
    const [name, property, value] = fields;
    if (fields.length !== 3 || name === undefined || property === undefined || value === undefined) {
      throw unexpectedOutput('expected name<TAB>property<TAB>value', line);
    }
    return { name, property, value };
  });
}

/** A `-p` (parsable) numeric value: non-negative decimal integer bytes or seconds. */
export function parseIntegerValue(value: string, what: string): number {
  const parsed = Number(value);
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(parsed)) throw unexpectedOutput(`${what} is not an integer`, value);
  return parsed;
}

/** Groups property rows by the object they describe: name -> property -> value. */
export function groupProperties(rows: readonly PropertyRow[]): Map<string, Map<string, string>> {
  const byName = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const properties = byName.get(row.name) ?? new Map<string, string>();
    properties.set(row.property, row.value);
    byName.set(row.name, properties);
  }
  return byName;
}

function snapshotFromProperties(dataset: DatasetName, fullName: string, properties: ReadonlyMap<string, string>): SnapshotInfo | undefined {
  const snapshot = fullName.slice(dataset.length + 1);
  // Snapshots made by hand (`@before-upgrade`) are not Dugong's: never listed, so never served or pruned.
  if (!isSnapshotName(snapshot)) return undefined;
  const value = (property: string): string => properties.get(property) ?? '';
  return {
    dataset,
    snapshot,
    fullName,
    creationEpochSeconds: parseIntegerValue(value('creation'), `${fullName} creation`),
    usedBytes: parseIntegerValue(value('used'), `${fullName} used`),
    referencedBytes: parseIntegerValue(value('referenced'), `${fullName} referenced`),
  };
}

export function compareSnapshots(a: SnapshotInfo, b: SnapshotInfo): number {
  // creation has one-second resolution; within a second the epoch-ms name orders them (same length, so string order).
  if (a.creationEpochSeconds !== b.creationEpochSeconds) return a.creationEpochSeconds - b.creationEpochSeconds;
  return a.snapshot < b.snapshot ? -1 : a.snapshot > b.snapshot ? 1 : 0;
}

/**
 * The dataset's own Dugong snapshots from `zfs get -Hp -d 1 -o name,property,value creation,used,referenced <ds>`
 * (which also lists the dataset itself and its direct children), oldest first.
 */
export function parseSnapshotList(datasetName: string, output: string): SnapshotInfo[] {
  const dataset = parseDatasetName(datasetName);
  const prefix = `${dataset}@`;
  const grouped = groupProperties(parsePropertyRows(output));
  const snapshots: SnapshotInfo[] = [];
  for (const [name, properties] of grouped) {
    if (!name.startsWith(prefix)) continue;
    const info = snapshotFromProperties(dataset, name, properties);
    if (info !== undefined) snapshots.push(info);
  }
  return snapshots.sort(compareSnapshots);
}

/**
 * The total stream size from `zfs send -nvP` output: the `size<TAB>bytes` line (OpenZFS, illumos), else the last
 * field of the `full`/`incremental` line. Undefined when neither is present.
 */
export function parseSendSizeEstimate(output: string): number | undefined {
  const all = lines(output).map((line) => line.trim().split(/\s+/));
  const sizeLine = all.find((fields) => fields[0] === 'size' && fields.length === 2);
  if (sizeLine?.[1] !== undefined && /^[0-9]+$/.test(sizeLine[1])) return parseIntegerValue(sizeLine[1], 'send size');
  const streamLine = all.find((fields) => fields[0] === 'full' || fields[0] === 'incremental');
  const last = streamLine?.[streamLine.length - 1];
  return last !== undefined && /^[0-9]+$/.test(last) ? parseIntegerValue(last, 'send size') : undefined;
}

/** True when zfs rejected an option itself (old CLIs such as zfs-fuse 0.7 lack `send -n/-P`). */
export function isUnsupportedOptionStderr(stderr: string): boolean {
  return /invalid option|unrecognized option|illegal option/i.test(stderr);
}
