/**
 * ESearch `term=` values. The stored `query` of every observation is exactly the string built here, so
 * incremental runs can tell "already stored with this query" by string equality.
 */

/** Lower bound of every `[crdt]` range: before any PubMed record was created. */
const CRDT_START = '1800/01/01';

/**
 * One publication year: `(<term>) AND Y:Y[dp]`. PubMed's guide: "Comprehensive searches for a full year
 * should be entered as 2000:2000[dp] rather than 2000[dp]" (pubmed-eutils.md §1). With `createdBy`
 * (`YYYY/MM/DD`) only records created by that date count: `… AND 1800/01/01:<createdBy>[crdt]`.
 */
export function yearTerm(term: string, year: number, createdBy?: string): string {
  const base = `(${term}) AND ${year}:${year}[dp]`;
  return createdBy === undefined ? base : `${base} AND ${CRDT_START}:${createdBy}[crdt]`;
}

/** `YYYY-MM-DD` → `YYYY/MM/DD`, PubMed's date form. */
export function pubmedDate(isoDate: string): string {
  return isoDate.replaceAll('-', '/');
}

/**
 * The as-of month/day in an earlier year, as `YYYY/MM/DD`: the completeness cutoff for year `year`.
 * 29 February becomes 28 February in a non-leap year (the same point in the year, and a real date).
 */
export function sameDayIn(year: number, asOf: string): string {
  const month = asOf.slice(5, 7);
  let day = asOf.slice(8, 10);
  if (month === '02' && day === '29' && !isLeapYear(year)) day = '28';
  return `${String(year).padStart(4, '0')}/${month}/${day}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
