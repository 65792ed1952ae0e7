import { describe, expect, it } from 'vitest';
import { cagr, yoyGrowth } from '../../src/analyze/growth.js';

describe('src/analyze/growth', () => {
  it('computes year-over-year growth and refuses a missing or zero base', () => {
    expect(yoyGrowth(200, 150)).toBe(-0.25);
    expect(yoyGrowth(0, 10)).toBeUndefined();
    expect(yoyGrowth(null, 10)).toBeUndefined();
    expect(yoyGrowth(10, null)).toBeUndefined();
  });

  it('runs CAGR from the first non-zero year to the last complete year', () => {
    const points = [
      { year: 2018, value: 0, complete: true },
      { year: 2019, value: 100, complete: true },
      { year: 2020, value: 150, complete: true },
      { year: 2021, value: 400, complete: true },
      { year: 2022, value: 9_999, complete: false }, // partial: never an end point
    ];
    const result = cagr(points)!;
    expect(result).toMatchObject({ from_year: 2019, to_year: 2021 });
    expect(result.rate).toBeCloseTo(1, 12); // 100 → 400 in two years doubles each year
  });

  it('has no CAGR with fewer than two usable years', () => {
    expect(
      cagr([
        { year: 2020, value: 5, complete: true },
        { year: 2021, value: 9, complete: false },
      ]),
    ).toBeUndefined();
  });
});
