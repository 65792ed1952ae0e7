// Per-function entry points: the package index loads all of date-fns, a fifth of a second at every start.
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import { UsageError } from './errors.js';

/** Today's date in UTC as YYYY-MM-DD: a cron job at 00:30 local time must not store yesterday or tomorrow. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The earliest `--as-of` accepted. No source holds anything to observe before it existed: PubMed, the oldest
 * source, first went public in January 1996 (the Hugging Face Hub is far younger), so an earlier date is a typo.
 */
export const EARLIEST_AS_OF = '1996-01-01';

/** Validates a `--as-of` value: a real calendar date, from EARLIEST_AS_OF, not in the future. */
export function parseAsOf(value: string, today: string, flag = '--as-of'): string {
  // parseISO checks the day against its month and leap years: 2023-02-29 and 2024-04-31 are invalid.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !isValid(parseISO(value))) {
    throw new UsageError(`${flag} ${value} is not a date; use YYYY-MM-DD, e.g. ${flag} 2024-07-20`);
  }
  if (value < EARLIEST_AS_OF) {
    throw new UsageError(
      `${flag} ${value} is before ${EARLIEST_AS_OF}, the earliest accepted date: PubMed, the oldest source, first went public in January 1996`,
    );
  }
  if (value > today) throw new UsageError(`${flag} ${value} is in the future (today is ${today} UTC); use a date up to today`);
  return value;
}
