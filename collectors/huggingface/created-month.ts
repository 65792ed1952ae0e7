/**
 * The calendar month (UTC) a model was created in, from its `createdAt` (reference §2). Months are kept as
 * small integers while a listing is read (year × 12 + month − 1: a 200,000-model listing stores one small
 * number per id, no string), and written `YYYY-MM` only when stored.
 *
 * Every repo created before the Hub stored creation dates carries the placeholder `2022-03-02T23:29:04.000Z`
 * (hub-docs `api.md`, reference §2). Those models were not created in March 2022: they are `undated`.
 */

/** The Hub's `createdAt` for every repo older than its creation dates (reference §2). */
export const PLACEHOLDER_CREATED_AT = '2022-03-02T23:29:04.000Z';
const PLACEHOLDER_MS = Date.parse(PLACEHOLDER_CREATED_AT);

/** The stored period of the placeholder's models. */
export const UNDATED = 'undated';
/** The month code of `undated`. */
export const UNDATED_CODE = -1;

// An ISO 8601 date-time with a time zone (Z or ±hh:mm): one without is local time, which differs per machine.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The month code of a `createdAt` value, `UNDATED_CODE` for the placeholder, or undefined when it is not an
 * ISO date-time with a time zone. A `Z` value's month is read from its text (the common case, and the
 * cheapest); an offset is converted to UTC first.
 */
export function createdMonthCode(createdAt: unknown): number | undefined {
  if (typeof createdAt !== 'string') return undefined;
  const match = ISO_DATE_TIME.exec(createdAt);
  if (!match) return undefined;
  const [, year, month, day, zone] = match as unknown as [string, string, string, string, string];
  if (zone !== 'Z' || (year === '2022' && month === '03' && day === '02')) {
    const ms = Date.parse(createdAt);
    if (!Number.isFinite(ms)) return undefined;
    if (ms === PLACEHOLDER_MS) return UNDATED_CODE;
    const date = new Date(ms);
    return date.getUTCFullYear() * 12 + date.getUTCMonth();
  }
  const m = Number(month);
  if (m < 1 || m > 12 || Number(day) < 1 || Number(day) > 31) return undefined;
  return Number(year) * 12 + m - 1;
}

/** `YYYY-MM` of a month code, or `undated`. */
export function monthLabel(code: number): string {
  if (code === UNDATED_CODE) return UNDATED;
  return `${String(Math.floor(code / 12)).padStart(4, '0')}-${String((code % 12) + 1).padStart(2, '0')}`;
}

/** The month code of a `YYYY-MM-DD` date (the run's as-of date). */
export function monthCodeOfDate(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** No model on the Hub was created before January 2016 (Hugging Face was founded that year): an earlier date is broken. */
export const FIRST_MONTH_CODE = monthCodeOfDate('2016-01-01');
