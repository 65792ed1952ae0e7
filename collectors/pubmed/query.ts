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

/**
 * Every record of one publication year, the denominator of per_million: `Y:Y[dp]`, bounded like yearTerm when
 * `createdBy` is given, so a count and its total always describe the same state of PubMed.
 */
export function allRecordsTerm(year: number, createdBy?: string): string {
  const base = `${year}:${year}[dp]`;
  return createdBy === undefined ? base : `${base} AND ${CRDT_START}:${createdBy}[crdt]`;
}

/** `YYYY-MM-DD` → `YYYY/MM/DD`, PubMed's date form. */
export function pubmedDate(isoDate: string): string {
  return isoDate.replaceAll('-', '/');
}

/**
 * The completeness cutoffs for year `year`: the first and the last day of the as-of month in that year
 * (`YYYY-MM-DD`). The count created by the as-of day is interpolated between them, so the same two
 * cutoffs serve every day of a month: a daily run queries them once a month, not every day.
 */
export function monthBounds(year: number, asOf: string): { first: string; last: string } {
  const month = Number(asOf.slice(5, 7));
  const yyyy = String(year).padStart(4, '0');
  const mm = asOf.slice(5, 7);
  return { first: `${yyyy}-${mm}-01`, last: `${yyyy}-${mm}-${String(daysInMonth(year, month)).padStart(2, '0')}` };
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
