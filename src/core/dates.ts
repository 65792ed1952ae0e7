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

/** Validates a date flag's value: a real calendar date, `YYYY-MM-DD`. */
export function parseDate(value: string, flag: string): string {
  // parseISO checks the day against its month and leap years: 2023-02-29 and 2024-04-31 are invalid.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !isValid(parseISO(value))) {
    throw new UsageError(`${flag} ${value} is not a date; use YYYY-MM-DD, e.g. ${flag} 2024-07-20`);
  }
  return value;
}

/** Validates a `--as-of` value: a real calendar date, not before `floor`, not in the future. */
export function parseAsOf(value: string, today: string, flag = '--as-of', floor?: Floor): string {
  parseDate(value, flag);
  if (floor && value < floor.date) {
    throw new UsageError(
      `${flag} ${value} is before ${floor.date}, the earliest date any source covers (${floor.source}); use a later date`,
    );
  }
  if (value > today) throw new UsageError(`${flag} ${value} is in the future (today is ${today} UTC); use a date up to today`);
  return value;
}

const DAY_MS = 86_400_000;

/** The day number of a `YYYY-MM-DD` date (days since 1970-01-01), in UTC so no timezone shifts it. */
export function dayNumber(date: string): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1;
  const day = Number(date.slice(8, 10));
  // Date.UTC reads years 0 to 99 as 1900 to 1999; setUTCFullYear does not (and is slower).
  return (year >= 100 ? Date.UTC(year, month, day) : new Date(0).setUTCFullYear(year, month, day)) / DAY_MS;
}

/** `YYYY-MM-DD` moved by `days` calendar days (negative: back). */
export function addDays(date: string, days: number): string {
  const moved = new Date((dayNumber(date) + days) * DAY_MS);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(moved.getUTCFullYear(), 4)}-${pad(moved.getUTCMonth() + 1, 2)}-${pad(moved.getUTCDate(), 2)}`;
}

/**
 * A span of years for messages: `2015–2026`, `2026`, or `no years` when the range is empty (a `fromYear` after
 * the as-of year), never a reversed `2030–2026`.
 */
export function yearSpan(fromYear: number, toYear: number): string {
  if (fromYear > toYear) return 'no years';
  return fromYear === toYear ? String(fromYear) : `${fromYear}–${toYear}`;
}
