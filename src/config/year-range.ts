import { ConfigError, expectInteger, expectObject } from './validate.js';

/** A yearly source's top-level section: which publication years it counts and which it re-counts each run. */
export interface YearRange {
  fromYear: number;
  /** Absent: the as-of year, resolved at collect time. */
  toYear?: number;
  recentYears: number;
}

/** What a source accepts: its defaults and the years it can hold. */
export interface YearRangeRules {
  defaultFromYear: number;
  defaultRecentYears: number;
  minYear: number;
  maxYear: number;
  maxRecentYears: number;
}

/** `<source> = { fromYear?, toYear?, recentYears? }`, defaults applied, fromYear <= toYear. */
export function parseYearRange(value: unknown, path: string, rules: YearRangeRules): YearRange {
  if (value === undefined) return { fromYear: rules.defaultFromYear, recentYears: rules.defaultRecentYears };
  const record = expectObject(value, path, ['fromYear', 'toYear', 'recentYears']);
  const year = (key: string) => expectInteger(record[key], `${path}.${key}`, rules.minYear, rules.maxYear);
  const fromYear = record.fromYear === undefined ? rules.defaultFromYear : year('fromYear');
  const toYear = record.toYear === undefined ? undefined : year('toYear');
  const recentYears =
    record.recentYears === undefined
      ? rules.defaultRecentYears
      : expectInteger(record.recentYears, `${path}.recentYears`, 0, rules.maxRecentYears);
  if (toYear !== undefined && fromYear > toYear) {
    throw new ConfigError(`config key ${path}.fromYear: ${fromYear} is after ${path}.toYear ${toYear}; make fromYear <= toYear`);
  }
  return toYear === undefined ? { fromYear, recentYears } : { fromYear, toYear, recentYears };
}
