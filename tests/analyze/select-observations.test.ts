import { describe, expect, it } from 'vitest';
import { dedupeObservations, latestBy, observedBy } from '../../src/analyze/select-observations.js';
import { hub, papers } from './helpers.js';

describe('src/analyze/select-observations', () => {
  it('keeps the highest runId, then the highest id, per measurement and date', () => {
    const rows = [
      hub('tf', 1, '2024-07-20', { runId: 3, id: 10 }),
      hub('tf', 2, '2024-07-20', { runId: 5, id: 4 }),
      hub('tf', 3, '2024-07-20', { runId: 5, id: 7 }),
      hub('tf', 4, '2024-07-20', { runId: 9, id: 8, method: 'fast' }),
      hub('tf', 5, '2024-07-21', { runId: 1, id: 1 }),
    ];
    expect(
      dedupeObservations(rows)
        .map((o) => o.value)
        .sort(),
    ).toEqual([3, 4, 5]);
  });

  it('drops what was observed after the as-of date', () => {
    const rows = [hub('tf', 1, '2024-07-20'), hub('tf', 2, '2024-07-21')];
    expect(observedBy(rows, '2024-07-20').map((o) => o.value)).toEqual([1]);
  });

  it('picks the latest observation per key', () => {
    const rows = [
      papers('PyTorch', 2023, 700, '2024-01-05'),
      papers('PyTorch', 2023, 800, '2024-07-20'),
      papers('PyTorch', 2022, 400, '2023-06-01'),
    ];
    const latest = latestBy(rows, (o) => o.period);
    expect(latest.get('2023')!.value).toBe(800);
    expect(latest.get('2022')!.value).toBe(400);
  });
});
