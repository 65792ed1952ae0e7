import { describe, expect, it } from 'vitest';
import { trendLine } from '../../src/analyze/trend-line.js';

describe('src/analyze/trend-line', () => {
  it('fits a least-squares line through the points', () => {
    const line = trendLine([
      { year: 2020, value: 10 },
      { year: 2021, value: 20 },
      { year: 2022, value: 30 },
    ])!;
    expect(line.slope_per_year).toBeCloseTo(10, 9);
    expect(line.intercept + line.slope_per_year * 2023).toBeCloseTo(40, 6);
    expect(line.r_squared).toBeCloseTo(1, 12);
    expect(line).toMatchObject({ from_year: 2020, to_year: 2022, n: 3 });
  });

  it('reports how well a noisy series fits', () => {
    // y = 1, 3, 2: slope 0.5, fitted 1.5, 2, 2.5, SSE = 1.5, SST = 2 → r² = 0.25.
    const line = trendLine([
      { year: 1, value: 1 },
      { year: 2, value: 3 },
      { year: 3, value: 2 },
    ])!;
    expect(line.slope_per_year).toBeCloseTo(0.5, 12);
    expect(line.r_squared).toBeCloseTo(0.25, 12);
  });

  it('needs two points and treats a flat series as a perfect fit', () => {
    expect(trendLine([{ year: 2020, value: 1 }])).toBeUndefined();
    expect(
      trendLine([
        { year: 2020, value: 4 },
        { year: 2021, value: 4 },
      ])!.r_squared,
    ).toBe(1);
  });
});
