import type { StoredObservation } from '../../core/observation.js';
import { describedOn } from '../backdated.js';
import { fraction } from '../rounding.js';
import { backtest, keywordMeasurements } from './backtest.js';
import { completenessByYear, completenessYears, meanCompleteness } from './completeness.js';
import { type Decision, decide, type Measured } from './evidence.js';
import { linearFactor } from './partial-year.js';
import { finalCountsBy } from './rows.js';
import type { CompletenessBasis, YearlyCountSeries } from './spec.js';
import type { Adjustment, AdjustmentMethod } from './types.js';

/**
 * Both estimates for a count observed before its year ended, and which one may be shown (evidence.ts). Each
 * keyword keeps its own method: lag-aware when its evidence holds, else linear, else none.
 */

export interface PartialEstimate {
  keyword: string;
  year: number;
  count: number;
  /** The day the count describes (its observation date, or the later day it was counted on). */
  observedAt: string;
  linearFactor: number;
  linear: number;
  /** Mean completeness and the years behind it; undefined when no usable data was stored on observedAt. */
  completeness: { c: number; years: number[] } | undefined;
  lagAware: number | undefined;
  ratios: Map<number, number>;
  /** This keyword's backtest at the same month/day, per method: the evidence the decision rests on. */
  measured: { linear: Measured; 'lag-aware': Measured };
  decision: Decision;
}

/**
 * The visible and final counts of the years an estimate of `year` rests on (completenessYears), as stored by
 * `observedBy`, at the month/day of `at`.
 */
export function completenessInputs(
  series: YearlyCountSeries,
  basis: CompletenessBasis,
  keywordRows: readonly StoredObservation[],
  year: number,
  observedBy: string,
  at = observedBy,
): { visible: Map<number, number>; finals: ReadonlyMap<number, number> } {
  const years = new Set(completenessYears(year));
  const visible = new Map([...basis.visible(keywordRows, observedBy, at)].filter(([y]) => years.has(y)));
  return { visible, finals: finalCountsBy(keywordRows, series.metric, observedBy) };
}

const UNMEASURED: Measured = { mape: null, years: [] };

export function estimatePartial(
  series: YearlyCountSeries,
  keywordRows: readonly StoredObservation[],
  keyword: string,
  row: StoredObservation,
): PartialEstimate {
  const year = Number(row.period);
  // The day the count describes: the share of its year it holds is that day's.
  const day = describedOn(row);
  let ratios = new Map<number, number>();
  let measured = { linear: UNMEASURED, 'lag-aware': UNMEASURED };
  if (series.completeness) {
    // The years the estimate rests on, all before the estimated one (a later year would know its answer).
    const inputs = completenessInputs(series, series.completeness, keywordRows, year, row.observedAt, day);
    ratios = completenessByYear(inputs.visible, inputs.finals);
    const result = backtest([{ keyword, monthDay: day.slice(5), ...inputs }], { missing: '', visible: '' });
    measured = keywordMeasurements(result.rows);
  }
  const completeness = meanCompleteness(ratios, year);
  const factor = linearFactor(day);
  const linear = row.value * factor;
  const lagAware = completeness ? row.value / completeness.c : undefined;
  const decision = decide({
    count: row.value,
    observedAt: day,
    unit: series.text.unit,
    linear,
    lagAware,
    c: completeness?.c,
    measured,
  });
  return {
    keyword,
    year,
    count: row.value,
    observedAt: day,
    linearFactor: factor,
    linear,
    completeness,
    lagAware,
    ratios,
    measured,
    decision,
  };
}

/** The value used for shares and growth: the decided estimate, or null when it is withheld. */
export function adjustedValue(e: PartialEstimate): number | null {
  return e.decision.value;
}

/** One word for the methods of a year's keywords: the shared one, `mixed`, or `none` when nothing is partial. */
export function overallMethod(estimates: readonly PartialEstimate[]): AdjustmentMethod {
  const methods = new Set(estimates.map((e) => e.decision.method));
  if (methods.size === 0) return 'none';
  return methods.size === 1 ? [...methods][0]! : 'mixed';
}

/** The `adjustment` block, describing the latest partial year (normally the as-of year). */
export function describeAdjustment(series: YearlyCountSeries, estimates: readonly PartialEstimate[]): Adjustment {
  if (estimates.length === 0) {
    return {
      method: 'none',
      as_of: null,
      partial_year: null,
      factor: null,
      completeness: null,
      completeness_by_year: {},
      years_used: [],
      methods: {},
      withheld: {},
      rejected: {},
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
  const methods: Record<string, string> = {};
  const withheld: Record<string, string> = {};
  const rejected: Record<string, Record<string, string>> = {};
  const yearsUsed = new Set<number>();
  for (const e of current) {
    if (e.completeness) {
      completeness[e.keyword] = fraction(e.completeness.c);
      if (e.decision.method === 'lag-aware') for (const y of e.completeness.years) yearsUsed.add(y);
    }
    byYear[e.keyword] = Object.fromEntries([...e.ratios].map(([y, c]) => [String(y), fraction(c)]));
    methods[e.keyword] = e.decision.method;
    if (e.decision.method === 'withheld') withheld[e.keyword] = e.decision.reason;
    if (Object.keys(e.decision.rejected).length > 0) rejected[e.keyword] = { ...e.decision.rejected };
  }
  const method = overallMethod(current);
  return {
    method,
    as_of: asOf,
    partial_year: partialYear,
    factor: fraction(linearFactor(asOf)),
    completeness: Object.keys(completeness).length > 0 ? completeness : null,
    completeness_by_year: byYear,
    years_used: [...yearsUsed].sort((a, b) => a - b),
    methods,
    withheld,
    rejected,
    note: adjustmentNote(series, partialYear, asOf, current, method),
  };
}

function adjustmentNote(
  series: YearlyCountSeries,
  year: number,
  asOf: string,
  current: readonly PartialEstimate[],
  method: AdjustmentMethod,
): string {
  const lagAware = series.completeness?.text.note(year) ?? '';
  const linear = `${year} scaled by days in year / day of year of ${asOf}`;
  if (method === 'lag-aware') return lagAware;
  if (method === 'linear') return linear;
  const by = (m: string) => current.filter((e) => e.decision.method === m).map((e) => e.keyword);
  const parts = [
    by('lag-aware').length > 0 ? `lag-aware for ${by('lag-aware').join(', ')}` : '',
    by('linear').length > 0 ? `linear for ${by('linear').join(', ')}` : '',
    by('withheld').length > 0 ? `no estimate for ${by('withheld').join(', ')} (the evidence does not support one)` : '',
  ].filter(Boolean);
  return `${year}: ${parts.join('; ')}; each keyword is judged on its own evidence (see methodology.partial_year)`;
}
