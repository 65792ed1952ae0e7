import { describe, expect, it } from 'vitest';
import { completenessByYear, meanCompleteness } from '../../src/analyze/yearly-count/completeness.js';

describe('src/analyze/completeness', () => {
  it('divides created-by counts by final counts, skipping years without a final count above 0', () => {
    const ratios = completenessByYear(
      new Map([
        [2020, 10],
        [2021, 50],
        [2022, 60],
        [2023, 5],
      ]),
      new Map([
        [2021, 100],
        [2022, 120],
        [2023, 0],
      ]),
    );
    expect(Object.fromEntries(ratios)).toEqual({ 2021: 0.5, 2022: 0.5 });
  });

  it('leaves out a year with more records by the cutoff than in all, which would adjust below the raw count', () => {
    const ratios = completenessByYear(
      new Map([
        [2021, 50],
        [2022, 130],
        [2023, 120],
      ]),
      new Map([
        [2021, 100],
        [2022, 120],
        [2023, 120],
      ]),
    );
    expect(Object.fromEntries(ratios)).toEqual({ 2021: 0.5, 2023: 1 });
  });

  it('averages the last three complete years only', () => {
    const ratios = new Map([
      [2019, 0.1],
      [2020, 0.2],
      [2021, 0.4],
      [2022, 0.5],
      [2023, 0.6],
    ]);
    const result = meanCompleteness(ratios, 2024)!;
    expect(result.years).toEqual([2021, 2022, 2023]);
    expect(result.c).toBeCloseTo(0.5, 12);
  });

  it('uses the years that exist and gives up when none does', () => {
    expect(meanCompleteness(new Map([[2022, 0.4]]), 2024)).toEqual({ c: 0.4, years: [2022] });
    expect(meanCompleteness(new Map([[2019, 0.4]]), 2024)).toBeUndefined();
  });
});
