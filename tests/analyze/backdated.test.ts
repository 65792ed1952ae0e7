import { describe, expect, it } from 'vitest';
import { backdatedWarnings, type RunInfo } from '../../src/analyze/backdated.js';
import { hub, papers } from './helpers.js';

describe('src/analyze/backdated', () => {
  const runs = new Map<number, RunInfo>([
    [1, { origin: 'live', startedAt: '2024-07-20T23:59:00.000Z' }], // counted on the day it is stored under
    [2, { origin: 'live', startedAt: '2026-11-25T06:17:00.000Z' }], // `--as-of 2024-07-20` run today
    [3, { origin: 'replayed', startedAt: '2026-11-25T06:17:00.000Z' }], // a replay says so itself
  ]);

  it('flags live counts of a present-only source stored under an earlier date than counted, once per date pair', () => {
    const rows = [
      hub('pytorch', 1, '2024-07-20', { runId: 1 }),
      hub('pytorch', 2, '2024-07-20', { runId: 2 }),
      hub('tf', 3, '2024-07-20', { runId: 2 }),
      hub('tf', 4, '2024-07-21', { runId: 3 }),
      papers('PyTorch', 2023, 5, '2024-07-20', { runId: 2 }), // PubMed is bounded by record creation date
    ];
    expect(backdatedWarnings('huggingface', 'the Hub API', rows, runs)).toEqual([
      "huggingface: the counts stored as of 2024-07-20 were counted on 2026-11-25; the Hub API has no history, so they are that day's",
    ]);
    expect(
      backdatedWarnings(
        'huggingface',
        'the Hub API',
        rows.filter((r) => r.runId !== 2),
        runs,
      ),
    ).toEqual([]);
  });
});
