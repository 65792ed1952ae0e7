import { mean } from 'simple-statistics';
import { daysInMonthIndex, monthOfIndex } from '../months.js';
import { estimate } from '../rounding.js';
import type { BacktestMonth, PartialMonthFramework } from './types.js';

/**
 * The partial month's day-proportional estimate (its count × days in the month ÷ days covered), shown only where
 * the evidence carries it: the same estimate made from the first days of each of the 12 complete months before
 * (as many days as the partial month has, or all of a shorter month) must have missed their final counts by at
 * most 15 % on average. Otherwise it is withheld with the reason, like the yearly estimates.
 */
export const PARTIAL_MONTH_RULE = {
  /** Largest mean absolute backtest error, in percent, an estimate is shown with. */
  maxErrorPct: 15,
  /** Complete months before the partial one that the backtest needs, each with its days and final count stored. */
  months: 12,
} as const;

export interface PartialMonthInput {
  framework: string;
  /** Index of the partial month (months.ts). */
  month: number;
  daysCovered: number;
  /** Its count so far; null when not stored. */
  raw: number | null;
  /** The final count of a complete earlier month, or null when it is not stored complete. */
  final(month: number): number | null;
  /** A stored day's count (`YYYY-MM-DD`), or undefined. */
  day(date: string): number | undefined;
  /** What is counted, plural, for the reasons. */
  unit: string;
}

const errorPct = (estimated: number, actual: number) => (100 * (estimated - actual)) / actual;

/** The backtest of one framework and the decision it supports. */
export function partialMonthEstimate(input: PartialMonthInput): PartialMonthFramework {
  const rows: BacktestMonth[] = [];
  // Unrounded errors for the mean, so rounding never moves the decision.
  const errors: number[] = [];
  for (let k = PARTIAL_MONTH_RULE.months; k >= 1; k--) {
    const month = input.month - k;
    const days = daysInMonthIndex(month);
    const first = Math.min(input.daysCovered, days);
    const final = input.final(month);
    const visible = firstDays(input.day, month, first);
    if (final === null || final <= 0 || visible === undefined) continue;
    const estimated = (visible * days) / first;
    errors.push(Math.abs(errorPct(estimated, final)));
    rows.push({
      month: monthOfIndex(month),
      visible,
      final,
      estimate: estimate(estimated),
      error_pct: estimate(errorPct(estimated, final)),
    });
  }
  const mape = errors.length > 0 ? mean(errors) : null;
  const withheld = (reason: string): PartialMonthFramework => ({
    framework: input.framework,
    raw: input.raw,
    estimate: null,
    method: 'withheld',
    withheld_reason: reason,
    mape: mape === null ? null : estimate(mape),
    backtest: rows,
  });
  if (input.raw === null) return withheld(`${monthOfIndex(input.month)} is not stored for ${input.framework}`);
  if (rows.length < PARTIAL_MONTH_RULE.months) {
    const from = monthOfIndex(input.month - PARTIAL_MONTH_RULE.months);
    const to = monthOfIndex(input.month - 1);
    return withheld(
      `only ${rows.length} of the ${PARTIAL_MONTH_RULE.months} complete months ${from}–${to} can be backtested (the others lack their daily counts or a final count above 0); ${PARTIAL_MONTH_RULE.months} are needed`,
    );
  }
  if (mape! > PARTIAL_MONTH_RULE.maxErrorPct) {
    return withheld(
      `the same estimate from the first ${input.daysCovered} day(s) of ${rows[0]!.month}–${rows.at(-1)!.month} missed their final ${input.unit} by ${mape!.toFixed(1)} % on average (over ${PARTIAL_MONTH_RULE.maxErrorPct} %)`,
    );
  }
  const days = daysInMonthIndex(input.month);
  return {
    framework: input.framework,
    raw: input.raw,
    estimate: estimate((input.raw * days) / input.daysCovered),
    method: 'day-proportional',
    withheld_reason: null,
    mape: estimate(mape!),
    backtest: rows,
  };
}

/** The count of a month's first `n` days, or undefined when one of them is not stored. */
function firstDays(day: (date: string) => number | undefined, month: number, n: number): number | undefined {
  let sum = 0;
  const prefix = monthOfIndex(month);
  for (let d = 1; d <= n; d++) {
    const value = day(`${prefix}-${String(d).padStart(2, '0')}`);
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum;
}

/** The rule in words, for the methodology. */
export function estimateRule(unit: string): string {
  const r = PARTIAL_MONTH_RULE;
  return (
    `the partial month's ${unit} × days in the month ÷ days covered, per framework, shown only when the same estimate made from the same number of first days of each of the ${r.months} complete months before it ` +
    `(all days of a shorter month) missed their final counts by at most ${r.maxErrorPct} % on average; otherwise no estimate (an empty value and the reason). ` +
    `The raw count so far is always given beside it, with the days it covers`
  );
}
