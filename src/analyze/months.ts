/** Calendar months as consecutive integers (year × 12 + month − 1), so ranges and "a year before" are arithmetic. */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The index of `YYYY-MM`, or undefined for anything else. */
export function monthIndex(month: string): number | undefined {
  const match = MONTH.exec(month);
  return match ? Number(match[1]) * 12 + Number(match[2]) - 1 : undefined;
}

export function monthOfIndex(index: number): string {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month index of a `YYYY-MM-DD` date. */
export function monthIndexOfDate(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** Days in the month of index `index`: 28 to 31. */
export function daysInMonthIndex(index: number): number {
  return new Date(Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0)).getUTCDate();
}

/** The first day of a month, `YYYY-MM-01`. */
export function firstDayOf(index: number): string {
  return `${monthOfIndex(index)}-01`;
}

/** The last day of a month, `YYYY-MM-DD`. */
export function lastDayOf(index: number): string {
  return `${monthOfIndex(index)}-${String(daysInMonthIndex(index)).padStart(2, '0')}`;
}
