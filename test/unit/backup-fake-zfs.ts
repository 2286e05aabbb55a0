// A recording in-memory Zfs for unit tests of the backup server and the snapshotter: every call is logged.
import type { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { DugongError } from '../../src/errors.js';
import type { DatasetName, SendSpec, SendStream, SnapshotInfo, SnapshotName, SnapshotRef, Zfs, ZfsTarget } from '../../src/zfs/index.js';

export interface FakeZfs extends Zfs {
  readonly calls: string[];
  /** Snapshot names per dataset, oldest first (foreign names allowed, as on a real pool). */
  readonly snapshots: Map<string, string[]>;
  /** Names whose destroy fails (dependent clone). */
  readonly undestroyable: Set<string>;
  /** The bytes a send produces. */
  payload: Buffer;
  /** Sends started, with their abort reasons. */
  readonly sends: { spec: SendSpec; aborted: unknown; stream: PassThrough }[];
  /** When false, a send keeps its stream open after the payload (a long send). */
  endSends: boolean;
}

function targetText(target: ZfsTarget): string {
  return typeof target === 'string' ? target : `${target.dataset}@${target.snapshot}`;
}

function notFound(what: string): DugongError {
  return new DugongError('DUGONG_ERR_ZFS_NOT_FOUND', `${what} does not exist`);
}

function info(dataset: DatasetName, name: string): SnapshotInfo {
  return { dataset, snapshot: name as SnapshotName, fullName: `${dataset}@${name}`, creationEpochSeconds: Math.floor(Number(name) / 1000), usedBytes: 0, referencedBytes: 4096 };
}

function startSend(fake: FakeZfs, spec: SendSpec): SendStream {
  const stream = new PassThrough();
  const record = { spec, aborted: undefined as unknown, stream };
  fake.sends.push(record);
  let settle: (error?: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  done.catch(() => undefined);
  const abort = (reason?: unknown): void => {
    if (record.aborted !== undefined) return;
    record.aborted = reason ?? new Error('aborted');
    const error = new DugongError('DUGONG_ERR_COMMAND_FAILED', 'zfs send aborted', { aborted: true });
    stream.destroy(error);
    settle(error);
  };
  stream.on('error', () => undefined);
  stream.once('close', () => abort(new Error('the consumer closed the stream')));
  stream.write(fake.payload);
  if (fake.endSends) {
    stream.end();
    stream.once('finish', () => settle());
  }
  return { stream, pid: 4242, done, abort };
}

export function fakeZfs(dataset: DatasetName, names: string[] = []): FakeZfs {
  const fake: FakeZfs = {
    calls: [],
    snapshots: new Map([[dataset, [...names]]]),
    undestroyable: new Set(),
    payload: Buffer.from('zfs-stream-bytes'),
    sends: [],
    endSends: true,
    async listSnapshots(ds) {
      fake.calls.push(`listSnapshots ${ds}`);
      const list = fake.snapshots.get(ds);
      if (list === undefined) throw notFound(ds);
      return list.filter((name) => /^[1-9][0-9]{12}$/.test(name)).map((name) => info(ds, name));
    },
    async snapshot(ds, snapshot) {
      fake.calls.push(`snapshot ${ds}@${snapshot ?? '?'}`);
      const name = snapshot ?? ('1' + '0'.repeat(12)) as SnapshotName;
      fake.snapshots.get(ds)?.push(name);
      return { dataset: ds, snapshot: name } satisfies SnapshotRef;
    },
    async destroy(target) {
      fake.calls.push(`destroy ${targetText(target)}`);
      if (typeof target === 'string') throw new Error('the fake only destroys snapshots');
      if (fake.undestroyable.has(target.snapshot)) throw new DugongError('DUGONG_ERR_COMMAND_FAILED', 'snapshot has dependent clones');
      const list = fake.snapshots.get(target.dataset) ?? [];
      const index = list.indexOf(target.snapshot);
      if (index < 0) throw notFound(targetText(target));
      list.splice(index, 1);
    },
    async estimateSendSize(spec) {
      fake.calls.push(`estimateSendSize ${targetText(spec.snapshot)}${spec.from === undefined ? '' : ` from ${spec.from}`}`);
      return { bytes: fake.payload.length, method: 'referenced' };
    },
    send(spec) {
      fake.calls.push(`send ${targetText(spec.snapshot)}${spec.from === undefined ? '' : ` from ${spec.from}`}`);
      return startSend(fake, spec);
    },
    async exists(target) {
      fake.calls.push(`exists ${targetText(target)}`);
      return typeof target === 'string' ? fake.snapshots.has(target) : (fake.snapshots.get(target.dataset) ?? []).includes(target.snapshot);
    },
    async receive(ds: DatasetName, source: Readable) {
      fake.calls.push(`receive ${ds}`);
      for await (const _chunk of source) {
        /* drained */
      }
    },
    createDataset: unexpected('createDataset'),
    isMounted: unexpected('isMounted'),
    mount: unexpected('mount'),
    unmount: unexpected('unmount'),
    getProperty: unexpected('getProperty'),
    setProperty: unexpected('setProperty'),
    isolate: unexpected('isolate'),
    cloneAndPromote: unexpected('cloneAndPromote'),
    promote: unexpected('promote'),
    rollback: unexpected('rollback'),
  };
  return fake;
}

function unexpected(name: string): () => never {
  return () => {
    throw new Error(`unexpected zfs call in a unit test: ${name}`);
  };
}
