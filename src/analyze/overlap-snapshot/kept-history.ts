import { YEAR_DAYS } from '../indicator.js';
import { firstDayOf, monthIndexOfDate } from '../months.js';

/**
 * How much of a daily snapshot history a report shows, so that its cost follows what it shows and not how long
 * the tool has run: every snapshot of the newest snapshot's month and of the DAILY_MONTHS months before it, and
 * before that the first snapshot of each calendar month. A history table then grows by one row a month, not one a
 * day; the whole daily history is one `adoption-metrics export` away. Whole months either way, so the rule reads
 * the same in a table, the methodology and SQL (src/analyze/overlap-snapshot/row-need.ts).
 */
export const DAILY_MONTHS = 14;

/**
 * The shortest daily part: fourteen whole months (a year and two months, at least January and February). It must
 * hold the scorecard's year-ago baseline, the snapshot nearest to 365 days before the newest within ±45 days, so
 * every date that baseline may take is kept whenever it was stored (tests/analyze/kept-history.test.ts).
 */
export const DAILY_MIN_DAYS = 365 + 31 + 28;

/** `YYYY-MM-DD`: the first day shown daily when the newest snapshot is of `newest`. */
export function dailyFrom(newest: string): string {
  return firstDayOf(monthIndexOfDate(newest) - DAILY_MONTHS);
}

/** Of `items` (oldest first), those the history keeps: each one from `from` on, and before it the first of each month. */
export function keptHistory<T>(items: readonly T[], dateOf: (item: T) => string, from: string): T[] {
  let month = '';
  return items.filter((item) => {
    const date = dateOf(item);
    const first = date.slice(0, 7) !== month;
    month = date.slice(0, 7);
    return first || date >= from;
  });
}

/** The rule in words, for the methodology, the CSV's description and the page. */
export function keptHistoryText(unit: string): string {
  return `every snapshot of the newest snapshot's month and the ${DAILY_MONTHS} months before it (at least ${DAILY_MIN_DAYS} days, so the year-ago comparison finds the snapshot nearest to ${YEAR_DAYS} days earlier), and before that the first snapshot of each calendar month; dates that could not be used are listed from the first day shown daily on. The daily counts of ${unit} before that are kept in the database: \`adoption-metrics export\` writes them all`;
}
