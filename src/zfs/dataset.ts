// Dataset operations: create, exists, get/set property, mount, unmount, destroy.
import { isDugongError } from '../errors.js';
import { runZfs } from './command.js';
import type { ZfsContext } from './context.js';
import { parseDatasetName, parseMountpoint, parsePropertyName, parsePropertyValue, type DatasetName } from './names.js';
import { targetName, type ZfsTarget } from './target.js';

export interface CreateDatasetOptions {
  /** `none`, `legacy` or an absolute path; zfs mounts the dataset there at once (unless canmount says otherwise). */
  readonly mountpoint?: string;
  /** Further `-o property=value` settings, e.g. `{ compression: 'lz4', recordsize: '8k' }`. */
  readonly properties?: Readonly<Record<string, string>>;
  /** `-p`: create missing parent datasets too. */
  readonly createParents?: boolean;
}

export interface UnmountOptions {
  /** `-f`: unmount even while files are open (only after the processes using it were stopped). */
  readonly force?: boolean;
}

export interface DestroyOptions {
  /** `-r`: also destroy children and snapshots. Never implied. */
  readonly recursive?: boolean;
}

function propertyArgs(options: CreateDatasetOptions): string[] {
  const args: string[] = [];
  if (options.mountpoint !== undefined) args.push('-o', `mountpoint=${parseMountpoint(options.mountpoint)}`);
  for (const [property, value] of Object.entries(options.properties ?? {})) {
    if (property === 'mountpoint') args.push('-o', `mountpoint=${parseMountpoint(value)}`);
    else args.push('-o', `${parsePropertyName(property)}=${parsePropertyValue(value)}`);
  }
  return args;
}

export async function createDataset(ctx: ZfsContext, dataset: DatasetName, options: CreateDatasetOptions = {}): Promise<void> {
  const name = parseDatasetName(dataset);
  const args = ['create', ...(options.createParents === true ? ['-p'] : []), ...propertyArgs(options), name];
  await runZfs(ctx, args);
}

export async function exists(ctx: ZfsContext, target: ZfsTarget): Promise<boolean> {
  const name = targetName(target);
  try {
    await runZfs(ctx, ['list', '-H', '-o', 'name', name]);
    return true;
  } catch (error) {
    if (isDugongError(error, 'DUGONG_ERR_ZFS_NOT_FOUND')) return false;
    throw error;
  }
}

/** `value<TAB>source` as `zfs get -H` prints it: the value, which may hold tabs, or undefined for `-` from `-`. */
function valueOf(valueAndSource: string): string | undefined {
  const tab = valueAndSource.lastIndexOf('\t');
  const value = tab < 0 ? valueAndSource : valueAndSource.slice(0, tab);
  const source = tab < 0 ? '' : valueAndSource.slice(tab + 1);
  return value === '-' && source === '-' ? undefined : value;
}

/**
 * A property's value in parsable form (`zfs get -Hp`): sizes in bytes, times in epoch seconds. Undefined when the
 * value is `-` with source `-`, i.e. an unset user property or a property that does not apply (such as `origin`).
 */
export async function getProperty(ctx: ZfsContext, target: ZfsTarget, property: string): Promise<string | undefined> {
  const args = ['get', '-Hp', '-o', 'value,source', parsePropertyName(property), targetName(target)];
  const { stdout } = await runZfs(ctx, args);
  return valueOf(stdout.replace(/\n+$/, ''));
}

/** Several properties of one target in one `zfs get` call, each read as getProperty reads it (full names, as zfs prints them). */
export async function getProperties<P extends string>(ctx: ZfsContext, target: ZfsTarget, properties: readonly P[]): Promise<Record<P, string | undefined>> {
  const names = properties.map((property) => parsePropertyName(property));
  const { stdout } = await runZfs(ctx, ['get', '-Hp', '-o', 'property,value,source', names.join(','), targetName(target)]);
  const values = new Map<string, string | undefined>();
  for (const line of stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) values.set(line.slice(0, tab), valueOf(line.slice(tab + 1)));
  }
  return Object.fromEntries(properties.map((property) => [property, values.get(property)])) as Record<P, string | undefined>;
}

export async function setProperty(ctx: ZfsContext, dataset: DatasetName, property: string, value: string): Promise<void> {
  const name = parsePropertyName(property);
  const checked = name === 'mountpoint' ? parseMountpoint(value) : parsePropertyValue(value);
  await runZfs(ctx, ['set', `${name}=${checked}`, parseDatasetName(dataset)]);
}

export async function isMounted(ctx: ZfsContext, dataset: DatasetName): Promise<boolean> {
  return (await getProperty(ctx, dataset, 'mounted')) === 'yes';
}

/** Mounts at the dataset's mountpoint; a no-op when it is already mounted (the wording of that error differs by platform). */
export async function mount(ctx: ZfsContext, dataset: DatasetName): Promise<void> {
  const name = parseDatasetName(dataset);
  if (await isMounted(ctx, name)) return;
  await runZfs(ctx, ['mount', name]);
}

/** Unmounts; a no-op when it is not mounted. */
export async function unmount(ctx: ZfsContext, dataset: DatasetName, options: UnmountOptions = {}): Promise<void> {
  const name = parseDatasetName(dataset);
  if (!(await isMounted(ctx, name))) return;
  await unmountMounted(ctx, name, options);
}

/** `zfs unmount` of a dataset the caller already knows to be mounted (one zfs call less than unmount). */
export async function unmountMounted(ctx: ZfsContext, dataset: DatasetName, options: UnmountOptions = {}): Promise<void> {
  await runZfs(ctx, ['unmount', ...(options.force === true ? ['-f'] : []), parseDatasetName(dataset)]);
}

/** Destroys one dataset or snapshot; children and snapshots go too only with `recursive`. */
export async function destroy(ctx: ZfsContext, target: ZfsTarget, options: DestroyOptions = {}): Promise<void> {
  const name = targetName(target);
  await runZfs(ctx, ['destroy', ...(options.recursive === true ? ['-r'] : []), name]);
}
