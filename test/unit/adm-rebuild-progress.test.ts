// How dugong-adm rebuild shows a copy in progress: bar on a terminal, plain text otherwise.
import { describe, expect, it } from 'vitest';
import { progressBar, progressText, stepsText } from '../../src/adm/rebuild-progress.js';
import type { RestoreInfo } from '../../src/adm/sitter-api.js';

const MIB = 1024 * 1024;
const running: RestoreInfo = {
  state: 'running', kind: 'rebuild', method: 'zfs-incremental', source: '10.0.0.2:5432:10002',
  bytesReceived: 12 * MIB, estimatedBytes: 48 * MIB, attempt: 1, keptAs: 'tank/pg-isolated-1', error: null,
};

describe('rebuild progress', () => {
  it('names the method, the source, the bytes and the estimate; the attempt only after a retry', () => {
    expect(progressText(running)).toBe('zfs-incremental from 10.0.0.2:5432:10002: 12.0 MiB of ~48.0 MiB');
    expect(progressText({ ...running, attempt: 3 })).toMatch(/\(attempt 3\)$/);
    expect(progressText({ ...running, method: null, source: null, estimatedBytes: 0 })).toBe('preparing: 12.0 MiB');
  });

  it('fills the bar by the estimate, never past 100 % when the estimate was low', () => {
    expect(progressBar(running, 8)).toBe('[##      ]  25% zfs-incremental from 10.0.0.2:5432:10002: 12.0 MiB of ~48.0 MiB');
    expect(progressBar({ ...running, bytesReceived: 60 * MIB }, 4)).toMatch(/^\[####\] 100% /);
    expect(progressBar({ ...running, estimatedBytes: 0 }, 4)).toMatch(/^\[ {4}\] {3}0% /);
  });

  it('sums the recorded steps and names each, and says nothing when a sitter recorded none', () => {
    const steps = [{ name: 'check source', durationMs: 120 }, { name: 'isolate', durationMs: 380 }, { name: 'stream', durationMs: 1_000 }];
    expect(stepsText({ ...running, steps })).toBe('took 1.5 s: check source 120 ms, isolate 380 ms, stream 1000 ms');
    expect(stepsText(running)).toBe('');
    expect(stepsText({ ...running, steps: [] })).toBe('');
  });
});
