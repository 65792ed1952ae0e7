import { dayNumber } from '../../core/dates.js';

/**
 * Linear partial-year adjustment: a count observed on day d of the year is scaled by days-in-year / d. The
 * observation day counts as complete (2024-07-20 is day 202 of 366, factor 366/202). Dates are counted from
 * their parts (calendarDay: in local time), so no timezone can shift them by a day; the backtest asks these
 * thousands of times, so they are arithmetic, not Date objects.
 */

/** `YYYY-MM-DD` → a local Date for that calendar day. */
export function calendarDay(iso: string): Date {
  const [year, month, day] = iso.split('-').map(Number);
  return new Date(year!, month! - 1, day!);
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysInMonth = (year: number, month: number) => (month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!);

export function linearFactor(iso: string): number {
  const dayOfYear = dayNumber(iso) - dayNumber(`${iso.slice(0, 4)}-01-01`) + 1;
  return (isLeapYear(Number(iso.slice(0, 4))) ? 366 : 365) / dayOfYear;
}

/** The same month/day in another year; 29 February becomes the 28th in a common year. */
export function sameMonthDay(monthDay: string, year: number): string {
  const month = Number(monthDay.slice(0, 2));
  const day = Number(monthDay.slice(3, 5));
  const clamped = Math.min(day, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${monthDay.slice(0, 2)}-${String(clamped).padStart(2, '0')}`;
}
