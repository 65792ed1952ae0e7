import type { StoredObservation } from '../../core/observation.js';
import { latestBy } from '../select-observations.js';
import type { YearlyCountSeries } from './spec.js';

/** Picks one keyword's rows out of the deduplicated history (rows already cut at the as-of date). */

const YEAR = /^\d{4}$/;

/**
 * Every row of the series' source per keyword, in one pass: the yearly counts and whatever the completeness
 * basis reads. Each configured keyword has a list, empty when nothing of it is stored.
 */
export function rowsByKeyword(rows: readonly StoredObservation[], series: YearlyCountSeries): Map<string, StoredObservation[]> {
  const byKeyword = new Map<string, StoredObservation[]>(series.keywords.map((k) => [k.keyword, []]));
  for (const o of rows) if (o.source === series.source) byKeyword.get(o.subject)?.push(o);
  return byKeyword;
}

/** The latest yearly count per year: each year's freshest count (older years may come from earlier runs). */
export function latestCountsByYear(rows: readonly StoredObservation[], metric: string): Map<number, StoredObservation> {
  return latestBy(
    rows.filter((o) => o.metric === metric && YEAR.test(o.period)),
    (o) => Number(o.period),
  );
}

/** finalCountsBy's answers per keyword's rows, then per metric and date: the backtest asks the same one ~7 times. */
const finalsCache = new WeakMap<readonly StoredObservation[], Map<string, ReadonlyMap<number, number>>>();

/** Each year's final count as it stood on `date`: the latest count observed by then. Pure; computed once per input. */
export function finalCountsBy(rows: readonly StoredObservation[], metric: string, date: string): ReadonlyMap<number, number> {
  const byInput = finalsCache.get(rows) ?? new Map<string, ReadonlyMap<number, number>>();
  finalsCache.set(rows, byInput);
  const key = `${metric}\u0000${date}`;
  const cached = byInput.get(key);
  if (cached) return cached;
  const finals = new Map<number, number>();
  for (const [year, o] of latestCountsByYear(
    rows.filter((r) => r.observedAt <= date),
    metric,
  ))
    finals.set(year, o.value);
  byInput.set(key, finals);
  return finals;
}
