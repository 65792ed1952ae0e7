import type { StoredObservation } from '../core/observation.js';
import { PAPERS, PAPERS_CREATED_BY } from '../../collectors/pubmed/names.js';
import { daysInMonth, monthBounds } from '../../collectors/pubmed/query.js';
import { latestBy } from './select-observations.js';

/** Picks PubMed rows for one keyword out of the deduplicated history (rows already cut at the as-of date). */

export const PUBMED_SOURCE = 'pubmed';

/** `papers` rows have a year as period; `papers_created_by` rows the creation cutoff `YYYY-MM-DD`. */
const PERIOD = { [PAPERS]: /^\d{4}$/, [PAPERS_CREATED_BY]: /^\d{4}-\d{2}-\d{2}$/ } as Record<string, RegExp>;

export function keywordRows(rows: readonly StoredObservation[], keyword: string): StoredObservation[] {
  return rows.filter((o) => o.source === PUBMED_SOURCE && o.subject === keyword && PERIOD[o.metric]?.test(o.period) === true);
}

/** The latest `papers` row per year: each year's freshest count (older years may come from earlier runs). */
export function latestPapersByYear(rows: readonly StoredObservation[]): Map<number, StoredObservation> {
  const latest = latestBy(
    rows.filter((o) => o.metric === PAPERS),
    (o) => Number(o.period),
  );
  return latest;
}

/**
 * Completeness inputs as they stood on `date`: for each past year Y, the records of Y created by the same
 * month/day of Y, interpolated linearly between the stored cutoffs on the first and the last day of that
 * month (collectors/pubmed/plan.ts); and each year's latest `papers` count observed by then (the final count).
 * A year lacking a cutoff it needs is left out.
 */
export function completenessInputs(
  rows: readonly StoredObservation[],
  date: string,
): { createdBy: Map<number, number>; papers: Map<number, number> } {
  const cutoffs = new Map<string, number>();
  for (const o of latestBy(
    rows.filter((r) => r.metric === PAPERS_CREATED_BY && r.observedAt <= date),
    (r) => r.period,
  ).values()) {
    cutoffs.set(o.period, o.value);
  }
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const monthLength = daysInMonth(Number(date.slice(0, 4)), month);
  // Where the day falls in its month: 0 on the 1st, 1 on the last day.
  const position = monthLength > 1 ? (day - 1) / (monthLength - 1) : 0;
  const createdBy = new Map<number, number>();
  for (const year of new Set([...cutoffs.keys()].map((period) => Number(period.slice(0, 4))))) {
    const { first, last } = monthBounds(year, date);
    const low = cutoffs.get(first);
    const high = cutoffs.get(last);
    if (position === 0 && low !== undefined) createdBy.set(year, low);
    else if (position === 1 && high !== undefined) createdBy.set(year, high);
    else if (low !== undefined && high !== undefined) createdBy.set(year, low + (high - low) * position);
  }
  const papers = new Map<number, number>();
  for (const [year, o] of latestPapersByYear(rows.filter((r) => r.observedAt <= date))) papers.set(year, o.value);
  return { createdBy, papers };
}

/** The latest date on which completeness data was stored for this keyword. */
export function latestCompletenessDate(rows: readonly StoredObservation[]): string | undefined {
  let latest: string | undefined;
  for (const o of rows) if (o.metric === PAPERS_CREATED_BY && (latest === undefined || o.observedAt > latest)) latest = o.observedAt;
  return latest;
}
