import type { StoredObservation } from '../../core/observation.js';
import { fraction } from '../rounding.js';
import { completenessByYear, meanCompleteness } from './completeness.js';
import { linearFactor } from './partial-year.js';
import { finalCountsBy } from './rows.js';
import type { CompletenessBasis, YearlyCountSeries } from './spec.js';
import type { Adjustment, AdjustmentMethod } from './types.js';

/**
 * Both estimates for a count observed before its year ended, and the choice between them. Lag-aware is the
 * default because it accounts for the source's lag; it is used only when every keyword has completeness data,
 * so the keywords stay comparable within a year.
 */

export interface PartialEstimate {
  keyword: string;
  year: number;
  count: number;
  observedAt: string;
  linearFactor: number;
  linear: number;
  /** Mean completeness and the years behind it; undefined when no usable data was stored on observedAt. */
  completeness: { c: number; years: number[] } | undefined;
  lagAware: number | undefined;
  ratios: Map<number, number>;
}

/** Past years' visible and final counts on `date`, for the lag-aware estimate and the backtest. */
export function completenessInputs(
  series: YearlyCountSeries,
  basis: CompletenessBasis,
  keywordRows: readonly StoredObservation[],
  date: string,
): { visible: Map<number, number>; finals: Map<number, number> } {
  return { visible: basis.visibleByDate(keywordRows, date), finals: finalCountsBy(keywordRows, series.metric, date) };
}

export function estimatePartial(
  series: YearlyCountSeries,
  keywordRows: readonly StoredObservation[],
  keyword: string,
  row: StoredObservation,
): PartialEstimate {
  const year = Number(row.period);
  let ratios = new Map<number, number>();
  if (series.completeness) {
    const { visible, finals } = completenessInputs(series, series.completeness, keywordRows, row.observedAt);
    ratios = completenessByYear(visible, finals);
  }
  const completeness = meanCompleteness(ratios, year);
  const factor = linearFactor(row.observedAt);
  return {
    keyword,
    year,
    count: row.value,
    observedAt: row.observedAt,
    linearFactor: factor,
    linear: row.value * factor,
    completeness,
    lagAware: completeness ? row.value / completeness.c : undefined,
    ratios,
  };
}

export function chooseMethod(estimates: readonly PartialEstimate[]): { method: AdjustmentMethod; lacking: string[] } {
  if (estimates.length === 0) return { method: 'none', lacking: [] };
  const lacking = [...new Set(estimates.filter((e) => e.lagAware === undefined).map((e) => e.keyword))];
  return { method: lacking.length === 0 ? 'lag-aware' : 'linear', lacking };
}

export function adjustedValue(e: PartialEstimate, method: AdjustmentMethod): number {
  return method === 'lag-aware' && e.lagAware !== undefined ? e.lagAware : e.linear;
}

/** The `adjustment` block, describing the latest partial year (normally the as-of year). */
export function describeAdjustment(
  series: YearlyCountSeries,
  estimates: readonly PartialEstimate[],
  method: AdjustmentMethod,
  lacking: readonly string[],
): Adjustment {
  if (estimates.length === 0) {
    return {
      method: 'none',
      as_of: null,
      partial_year: null,
      factor: null,
      completeness: null,
      completeness_by_year: {},
      years_used: [],
      note: 'no count in the range was observed before its year ended, so nothing is adjusted',
    };
  }
  const partialYear = Math.max(...estimates.map((e) => e.year));
  const current = estimates.filter((e) => e.year === partialYear);
  const asOf = current
    .map((e) => e.observedAt)
    .sort()
    .at(-1)!;
  const completeness: Record<string, number> = {};
  const byYear: Record<string, Record<string, number>> = {};
  const yearsUsed = new Set<number>();
  for (const e of current) {
    if (e.completeness) {
      completeness[e.keyword] = fraction(e.completeness.c);
      for (const y of e.completeness.years) yearsUsed.add(y);
    }
    byYear[e.keyword] = Object.fromEntries([...e.ratios].map(([y, c]) => [String(y), fraction(c)]));
  }
  const notes = {
    'lag-aware': series.completeness?.text.note(partialYear) ?? '',
    linear:
      `${partialYear} scaled by days in year / day of year of ${asOf}` +
      (lacking.length > 0
        ? `; lag-aware needs completeness data for every keyword and ${lacking.join(', ')} has none, so linear is used for all`
        : ''),
    none: '',
  };
  return {
    method,
    as_of: asOf,
    partial_year: partialYear,
    factor: fraction(linearFactor(asOf)),
    completeness: Object.keys(completeness).length > 0 ? completeness : null,
    completeness_by_year: byYear,
    years_used: [...yearsUsed].sort((a, b) => a - b),
    note: notes[method],
  };
}
