import type { StoredObservation } from '../core/observation.js';

/**
 * Every run appends, so the store can hold several rows for one measurement. These helpers pick the one row
 * that counts, without reading the clock: the caller says which date the report is "as of".
 */

const SEP = '\u0000';

/** Later run wins for the same measurement and observation date (a re-run the same day corrects the first). */
function newer(a: StoredObservation, b: StoredObservation): boolean {
  return a.runId !== b.runId ? a.runId > b.runId : a.id > b.id;
}

/** One row per (source, metric, subject, period, method, observedAt): the highest runId, then the highest id. */
export function dedupeObservations(observations: readonly StoredObservation[]): StoredObservation[] {
  const kept = new Map<string, StoredObservation>();
  for (const o of observations) {
    const key = `${o.source}${SEP}${o.metric}${SEP}${o.subject}${SEP}${o.period}${SEP}${o.method}${SEP}${o.observedAt}`;
    const seen = kept.get(key);
    if (!seen || newer(o, seen)) kept.set(key, o);
  }
  return [...kept.values()];
}

/** Rows observed on or before `asOf` (a report as of a past date must not see later runs). */
export function observedBy(observations: readonly StoredObservation[], asOf: string): StoredObservation[] {
  return observations.filter((o) => o.observedAt <= asOf);
}

/** Observed later, or the same day by a later run (then the later id). */
export function laterRow(a: StoredObservation, b: StoredObservation): boolean {
  return a.observedAt > b.observedAt || (a.observedAt === b.observedAt && newer(a, b));
}

/** For each key, the row with the latest observedAt (rows are assumed deduplicated). */
export function latestBy<K>(rows: readonly StoredObservation[], keyOf: (o: StoredObservation) => K): Map<K, StoredObservation> {
  const latest = new Map<K, StoredObservation>();
  for (const o of rows) {
    const key = keyOf(o);
    const seen = latest.get(key);
    if (!seen || laterRow(o, seen)) latest.set(key, o);
  }
  return latest;
}
