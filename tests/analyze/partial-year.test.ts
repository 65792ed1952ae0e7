import { describe, expect, it } from 'vitest';
import { linearFactor, sameMonthDay } from '../../src/analyze/yearly-count/partial-year.js';

describe('src/analyze/partial-year', () => {
  it('counts the as-of day as complete: 2024-07-20 is day 202 of 366', () => {
    expect(linearFactor('2024-07-20')).toBe(366 / 202);
    expect(linearFactor('2023-07-20')).toBe(365 / 201);
    expect(linearFactor('2024-12-31')).toBe(1);
    expect(linearFactor('2023-01-01')).toBe(365);
  });

  it('moves a month/day to another year, clamping 29 February', () => {
    expect(sameMonthDay('07-20', 2021)).toBe('2021-07-20');
    expect(sameMonthDay('02-29', 2023)).toBe('2023-02-28');
    expect(sameMonthDay('02-29', 2020)).toBe('2020-02-29');
  });
});
