import type { StoredObservation } from '../../core/observation.js';
import { describedOn } from '../backdated.js';
import { estimate } from '../rounding.js';
import type { YearlyCountSeries, YearlyDenominator } from './spec.js';

/**
 * A keyword's count per million items of the same year in its source. A complete year's count is divided by
 * the year's latest total observed after it ended. A partial year's raw count is divided by the raw total
 * observed the same day: both hold the same part of the year, so the ratio needs no estimate of either (an
 * adjusted count over a raw total would not be a share of anything).
 */

const YEAR = /^\d{4}$/;

/** The series' stored totals (denominator rows) by year; empty without a denominator. */
export function totalsByYear(rows: readonly StoredObservation[], series: YearlyCountSeries): Map<number, StoredObservation[]> {
  const byYear = new Map<number, StoredObservation[]>();
  const denominator = series.denominator;
  if (!denominator) return byYear;
  for (const o of rows) {
    if (o.source !== series.source || o.metric !== denominator.metric || o.subject !== denominator.subject || !YEAR.test(o.period))
      continue;
    const year = Number(o.period);
    byYear.set(year, [...(byYear.get(year) ?? []), o]);
  }
  return byYear;
}

/** The year of the day a row describes (its observation date, or the later day it was counted on). */
const countedYear = (o: StoredObservation) => Number(describedOn(o).slice(0, 4));

/** The total a count is divided by (see above), or undefined when none was stored. */
export function matchingTotal(count: StoredObservation, totals: readonly StoredObservation[] | undefined): StoredObservation | undefined {
  if (!totals) return undefined;
  const year = Number(count.period);
  const partial = countedYear(count) <= year;
  let best: StoredObservation | undefined;
  for (const t of totals) {
    const usable = partial ? describedOn(t) === describedOn(count) && t.observedAt === count.observedAt : countedYear(t) > year;
    if (!usable) continue;
    if (!best || t.observedAt > best.observedAt || (t.observedAt === best.observedAt && t.runId > best.runId)) best = t;
  }
  return best;
}

/**
 * count / total * 1,000,000, rounded like every estimate; null for a total of 0, and for a total smaller than
 * the count (see `brokenTotal`).
 */
export function perMillion(count: number, total: StoredObservation | undefined): number | null {
  return total && total.value > 0 && !brokenTotal(count, total) ? estimate((count / total.value) * 1_000_000) : null;
}

/**
 * A year's total of all items cannot be smaller than one keyword's count of the same year: per_million would
 * pass 1,000,000, more items than exist. Such a total comes from a broken totals answer, and its ratio is
 * withheld rather than stored or charted.
 */
export function brokenTotal(count: number, total: StoredObservation | undefined): boolean {
  return total !== undefined && count > total.value;
}

/** The methodology sentence of a series' per_million. */
export function perMillionMethodology(denominator: YearlyDenominator | undefined): string | null {
  if (!denominator) return null;
  return (
    `per_million = count / all ${denominator.text.unit} of the same year * 1,000,000, where the total is ${denominator.text.methodology}. ` +
    'A complete year uses its latest total observed after the year ended; a partial year divides its raw count by the raw total observed the same day (both partial alike, no estimate), so its ratio is the share so far, not a forecast. A total smaller than the count (over 1,000,000 per million: a broken totals answer) is not used, and per_million is left empty'
  );
}
