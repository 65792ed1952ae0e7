// Per-function entry points: the package index loads all of date-fns, a fifth of a second at every start.
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import { UsageError } from './errors.js';

/** Today's date in UTC as YYYY-MM-DD: a cron job at 00:30 local time must not store yesterday or tomorrow. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The earliest date any source's data describes, and which source that is (Collector.since). */
export interface Floor {
  date: string;
  source: string;
}

/** Validates a `--as-of` value: a real calendar date, not before `floor`, not in the future. */
export function parseAsOf(value: string, today: string, flag = '--as-of', floor?: Floor): string {
  // parseISO checks the day against its month and leap years: 2023-02-29 and 2024-04-31 are invalid.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !isValid(parseISO(value))) {
    throw new UsageError(`${flag} ${value} is not a date; use YYYY-MM-DD, e.g. ${flag} 2024-07-20`);
  }
  if (floor && value < floor.date) {
    throw new UsageError(
      `${flag} ${value} is before ${floor.date}, the earliest date any source covers (${floor.source}); use a later date`,
    );
  }
  if (value > today) throw new UsageError(`${flag} ${value} is in the future (today is ${today} UTC); use a date up to today`);
  return value;
}

/**
 * A span of years for messages: `2015–2026`, `2026`, or `no years` when the range is empty (a `fromYear` after
 * the as-of year), never a reversed `2030–2026`.
 */
export function yearSpan(fromYear: number, toYear: number): string {
  if (fromYear > toYear) return 'no years';
  return fromYear === toYear ? String(fromYear) : `${fromYear}–${toYear}`;
}
