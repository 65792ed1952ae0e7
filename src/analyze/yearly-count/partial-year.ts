// Per-function entry points: the package index loads all of date-fns, a fifth of a second at every start.
import { getDayOfYear } from 'date-fns/getDayOfYear';
import { getDaysInMonth } from 'date-fns/getDaysInMonth';
import { getDaysInYear } from 'date-fns/getDaysInYear';

/**
 * Linear partial-year adjustment: a count observed on day d of the year is scaled by days-in-year / d. The
 * observation day counts as complete (2024-07-20 is day 202 of 366, factor 366/202). Dates are built from
 * their parts in local time, so no timezone can shift them by a day.
 */

/** `YYYY-MM-DD` → a local Date for that calendar day. */
export function calendarDay(iso: string): Date {
  const [year, month, day] = iso.split('-').map(Number);
  return new Date(year!, month! - 1, day!);
}

export function linearFactor(iso: string): number {
  const date = calendarDay(iso);
  return getDaysInYear(date) / getDayOfYear(date);
}

/** The same month/day in another year; 29 February becomes the 28th in a common year. */
export function sameMonthDay(monthDay: string, year: number): string {
  const [month, day] = monthDay.split('-').map(Number);
  const lastDay = getDaysInMonth(new Date(year, month! - 1, 1));
  const clamped = Math.min(day!, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(clamped).padStart(2, '0')}`;
}
