import { describe, expect, it } from 'vitest';
import { parseAsOf, utcDate, yearSpan } from '../../src/core/dates.js';
import { UsageError } from '../../src/core/errors.js';

describe('src/core/dates', () => {
  it('writes a span of years in order, one year as itself, and an empty range as none, never reversed', () => {
    expect(yearSpan(2015, 2026)).toBe('2015–2026');
    expect(yearSpan(2026, 2026)).toBe('2026');
    expect(yearSpan(2030, 2026)).toBe('no years');
  });

  it('accepts real calendar dates up to today, leap days included', () => {
    expect(parseAsOf('2024-07-20', '2026-11-25')).toBe('2024-07-20');
    expect(parseAsOf('2024-02-29', '2026-11-25')).toBe('2024-02-29');
    expect(parseAsOf('2026-11-25', '2026-11-25')).toBe('2026-11-25');
  });

  it('refuses dates that do not exist, or are not written YYYY-MM-DD, naming the flag and the fix', () => {
    for (const bad of [
      '2023-02-29',
      '2024-02-30',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-7-20',
      '20240720',
      '2024-07-20T00:00',
      'yesterday',
    ]) {
      expect(() => parseAsOf(bad, '2026-11-25')).toThrow(UsageError);
      expect(() => parseAsOf(bad, '2026-11-25')).toThrow(`--as-of ${bad} is not a date; use YYYY-MM-DD, e.g. --as-of 2024-07-20`);
    }
  });

  it('refuses the future, saying what today is in UTC', () => {
    expect(() => parseAsOf('2026-11-26', '2026-11-25', '--since')).toThrow('--since 2026-11-26 is in the future (today is 2026-11-25 UTC)');
  });

  it('refuses dates before any source existed, saying the earliest accepted date and why', () => {
    const floor = { date: '1996-01-01', source: 'pubmed since 1996-01-01' };
    expect(parseAsOf('1996-01-01', '2026-11-25', '--as-of', floor)).toBe('1996-01-01');
    for (const early of ['0000-01-01', '1990-06-15', '1995-12-31']) {
      expect(() => parseAsOf(early, '2026-11-25', '--as-of', floor)).toThrow(UsageError);
      expect(() => parseAsOf(early, '2026-11-25', '--as-of', floor)).toThrow(
        `--as-of ${early} is before 1996-01-01, the earliest date any source covers (pubmed since 1996-01-01); use a later date`,
      );
    }
  });

  it('takes today in UTC, whatever the local time zone', () => {
    expect(utcDate(new Date('2024-07-20T23:30:00-05:00'))).toBe('2024-07-21');
  });
});
