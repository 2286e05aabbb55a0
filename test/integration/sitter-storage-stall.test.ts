// The primary's data file system stops answering (a paused FUSE layer): the sync takes over, nothing acknowledged is lost.
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ShardRun } from '../helpers/shard-run.js';
import { StallableMount } from '../helpers/stallable-mount.js';

const SESSION_TIMEOUT_MS = 3_000;
const STORAGE_BUDGET_MS = 3_000;

let run: ShardRun | undefined;
let mount: StallableMount | undefined;
afterEach(async () => {
  // Resume first: PostgreSQL's processes blocked in the mount can only exit once their calls return.
  mount?.resume();
  await run?.end();
  run = undefined;
  mount = undefined;
});

describe('storage that stops answering', () => {
  it('a primary whose data file system hangs gives up; the sync takes over within session timeout + budget + 1.5 s', async () => {
    run = await ShardRun.begin({
      storage: 'directory',
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      tweak: (raw, index) => {
        if (index === 0) raw['storageStallBudgetMs'] = STORAGE_BUDGET_MS;
      },
      beforeStart: async (shard) => {
        const stallable = await StallableMount.over(dirname(shard.peer('peer1').config.postgres.dataDir));
        mount = stallable;
        shard.beforeDestroy.push(() => stallable.remove());
      },
    });
    const { shard } = run;
    await run.waitForMoreAcks(20);
    const stalledAtMs = Date.now();
    mount?.pause();
    await shard.waitFor('peer2 to be a writable primary', (s) => s.get('peer2')?.role === 'primary' && s.get('peer2')?.pg.writable === true, 60_000);
    const takeoverMs = Date.now() - stalledAtMs;
    console.info(`storage stall: peer2 was a writable primary ${takeoverMs} ms after peer1's storage stopped answering`);
    expect(takeoverMs, 'takeover after the stall').toBeLessThanOrEqual(SESSION_TIMEOUT_MS + STORAGE_BUDGET_MS + 1_500);
    // The stalled sitter's status API still answers, and says why in plain words.
    const stalled = await shard.status(shard.peer('peer1'));
    expect(stalled, 'the stalled sitter answers /state').toBeDefined();
    const ping = await fetch(`${shard.peer('peer1').statusUrl}/ping`, { signal: AbortSignal.timeout(2_000) });
    expect(ping.status).toBe(503);
    expect(JSON.stringify(await ping.json())).toMatch(/storage/i);
    await run.waitForMoreAcks(20);
    await run.verifySafety('peer2');
  });
});
