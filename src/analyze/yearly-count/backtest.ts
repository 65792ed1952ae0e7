import { mean } from 'simple-statistics';
import { COMPLETENESS_YEARS, completenessByYear } from './completeness.js';
import { linearFactor, sameMonthDay } from './partial-year.js';
import { estimate } from '../rounding.js';
import type { Measured } from './evidence.js';
import type { Backtest, BacktestCutoff, BacktestRow } from './types.js';

/**
 * How well would each adjustment have predicted past years? For a past year Y the count visible on the same
 * month/day of Y (the source's CompletenessBasis says what that is) is extrapolated by each method and scored
 * against Y's final count. The lag-aware estimate leaves Y's own completeness out (it would otherwise know
 * the answer). The inputs hold the years an estimate rests on (completenessYears), so the evidence is about
 * the completeness the estimate divides by, and a long history is not scored back to its first year.
 */

export interface BacktestInput {
  keyword: string;
  /** `MM-DD` of the snapshot the completeness data was stored on. */
  monthDay: string;
  visible: ReadonlyMap<number, number>;
  finals: ReadonlyMap<number, number>;
}

const errorPct = (estimated: number, actual: number) => (100 * (estimated - actual)) / actual;

export function backtest(
  inputs: readonly BacktestInput[],
  text: { missing: string; visible: string },
  byMonthDay: BacktestCutoff[] = [],
): Backtest {
  const rows: BacktestRow[] = [];
  // Unrounded errors for the means, so rounding never moves the summary.
  const linearErrors: number[] = [];
  const lagErrors: number[] = [];
  for (const input of inputs) {
    const ratios = completenessByYear(input.visible, input.finals);
    for (const [year] of ratios) {
      const visible = input.visible.get(year)!;
      const actual = input.finals.get(year)!;
      const linear = visible * linearFactor(sameMonthDay(input.monthDay, year));
      const others = [...ratios].filter(([y, c]) => y !== year && c > 0).map(([, c]) => c);
      const lagAware = others.length > 0 ? visible / mean(others) : null;
      linearErrors.push(Math.abs(errorPct(linear, actual)));
      if (lagAware !== null) lagErrors.push(Math.abs(errorPct(lagAware, actual)));
      rows.push({
        keyword: input.keyword,
        year,
        visible: estimate(visible), // interpolated within the month: an estimate, rounded like the others
        actual,
        linear: estimate(linear),
        linear_error_pct: estimate(errorPct(linear, actual)),
        lag_aware: lagAware === null ? null : estimate(lagAware),
        lag_aware_error_pct: lagAware === null ? null : estimate(errorPct(lagAware, actual)),
      });
    }
  }
  const monthDays = [...new Set(inputs.map((i) => i.monthDay))];
  return {
    month_day: monthDays.length === 1 ? monthDays[0]! : monthDays.length === 0 ? null : monthDays.join(','),
    rows,
    mape: {
      linear: linearErrors.length > 0 ? estimate(mean(linearErrors)) : null,
      lag_aware: lagErrors.length > 0 ? estimate(mean(lagErrors)) : null,
    },
    n: { linear: linearErrors.length, lag_aware: lagErrors.length },
    by_month_day: byMonthDay,
    note:
      rows.length === 0
        ? text.missing
        : `visible = ${text.visible}; scored on the ${COMPLETENESS_YEARS} complete years before the estimated one, whose completeness the lag-aware estimate is the mean of (each year's lag-aware estimate from the others); errors are (estimate - final) / final`,
  };
}

/** One keyword's measured error per method, from its backtest rows: what the evidence rule judges. */
export function keywordMeasurements(rows: readonly BacktestRow[]): { linear: Measured; 'lag-aware': Measured } {
  const lag = rows.filter((r) => r.lag_aware_error_pct !== null);
  return {
    linear: { mape: rows.length > 0 ? mean(rows.map((r) => Math.abs(r.linear_error_pct))) : null, years: rows.map((r) => r.year) },
    'lag-aware': {
      mape: lag.length > 0 ? mean(lag.map((r) => Math.abs(r.lag_aware_error_pct!))) : null,
      years: lag.map((r) => r.year),
    },
  };
}

/** Mean absolute errors of every keyword's backtest at one month/day (a row of the by-cutoff table). */
export function cutoffSummary(monthDay: string, inputs: readonly BacktestInput[]): BacktestCutoff {
  const result = backtest(inputs, { missing: '', visible: '' });
  return { month_day: monthDay, mape: result.mape, n: result.n };
}
