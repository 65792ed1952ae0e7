import type { StoredObservation } from '../core/observation.js';
import { PAPERS, PAPERS_CREATED_BY } from '../../collectors/pubmed/names.js';
import { latestBy } from './select-observations.js';

/** Picks PubMed rows for one keyword out of the deduplicated history (rows already cut at the as-of date). */

export const PUBMED_SOURCE = 'pubmed';

export function keywordRows(rows: readonly StoredObservation[], keyword: string): StoredObservation[] {
  return rows.filter((o) => o.source === PUBMED_SOURCE && o.subject === keyword && /^\d{4}$/.test(o.period));
}

/** The latest `papers` row per year: each year's freshest count (older years may come from earlier runs). */
export function latestPapersByYear(rows: readonly StoredObservation[]): Map<number, StoredObservation> {
  const latest = latestBy(rows.filter((o) => o.metric === PAPERS), (o) => Number(o.period));
  return latest;
}

/**
 * Completeness inputs as they stood on `date`: `papers_created_by` rows stored on exactly that date (their
 * month/day is the date's), and each year's latest `papers` count observed by then (the final count).
 */
export function completenessInputs(rows: readonly StoredObservation[], date: string): { createdBy: Map<number, number>; papers: Map<number, number> } {
  const createdBy = new Map<number, number>();
  for (const o of rows) if (o.metric === PAPERS_CREATED_BY && o.observedAt === date) createdBy.set(Number(o.period), o.value);
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
