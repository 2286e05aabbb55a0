// pg_rewind's report, read back: rewound from a divergence point, nothing to do, or a comparison it never made.
import { describe, expect, it } from 'vitest';
import { isDugongError } from '../../src/errors.js';
import { rewindOutcomeOf } from '../../src/pg/rewind.js';

const REWOUND = [
  'pg_rewind: connected to server',
  'pg_rewind: servers diverged at WAL location 0/3023F20 on timeline 1',
  'pg_rewind: rewinding from last common checkpoint at 0/2000060 on timeline 1',
  'pg_rewind: Done!',
].join('\n');

describe('pg_rewind outcome', () => {
  it('reads where the histories split', () => {
    expect(rewindOutcomeOf(REWOUND, 2)).toEqual({ kind: 'rewound', divergedAt: '0/3023F20', divergedOnTimeline: 1, sourceTimeline: 2 });
  });

  it('accepts "no rewind required" after a real comparison (the target stopped before the split)', () => {
    const output = 'pg_rewind: servers diverged at WAL location 0/3000000 on timeline 1\npg_rewind: no rewind required\n';
    expect(rewindOutcomeOf(output, 2)).toMatchObject({ kind: 'rewound' });
    expect(rewindOutcomeOf('pg_rewind: no rewind required\n', 2)).toEqual({ kind: 'not-needed', sourceTimeline: 2 });
  });

  it('refuses "same timeline": pg_rewind then compared nothing (a source whose pg_control predates its promotion)', () => {
    const output = 'pg_rewind: source and target cluster are on the same timeline\npg_rewind: no rewind required\n';
    let caught: unknown;
    try {
      rewindOutcomeOf(output, 1);
    } catch (error) {
      caught = error;
    }
    expect(isDugongError(caught, 'DUGONG_ERR_COMMAND_FAILED')).toBe(true);
  });
});
