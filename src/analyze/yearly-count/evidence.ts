import { getDayOfYear } from 'date-fns/getDayOfYear';
import { yearSpan } from '../../core/dates.js';
import { COMPLETENESS_YEARS } from './completeness.js';
import { calendarDay } from './partial-year.js';

/**
 * When an estimate of a partial year may be shown. Each keyword is judged on its own evidence: one keyword's
 * missing data never changes another's estimate. A method is judged first by measurement, its own backtest on
 * this keyword's past years at the same month/day (the years the estimate rests on, leave-one-out for
 * lag-aware); where no backtest can measure it, by floors that keep the calendar or a sliver of a year from
 * being extrapolated.
 */
export const EVIDENCE = {
  /** A method whose backtest at the same month/day is off by more than this, on average, is withheld. */
  maxBacktestErrorPct: 25,
  /** Backtest years needed to judge a method by its measured error; with fewer, the floors below decide. */
  minBacktestYears: 2,
  /** Linear is withheld before this day of the year (1 March) when no backtest measures it. */
  minLinearDay: 60,
  /** Lag-aware is withheld when past years held less than this share of their final count by the same day. */
  minCompleteness: 0.05,
  /** Either is withheld when fewer items than this are counted so far: counting noise alone would pass 30 %. */
  minCount: 10,
} as const;

export type EstimateMethod = 'lag-aware' | 'linear';

/** What the backtest measured for one method on one keyword at the estimate's month/day. */
export interface Measured {
  /** Mean absolute percentage error, or null when nothing could be measured. */
  mape: number | null;
  /** The past years it was measured on. */
  years: number[];
}

export interface EvidenceInput {
  count: number;
  observedAt: string;
  /** The items' plural, for the reasons (`papers`). */
  unit: string;
  linear: number;
  lagAware: number | undefined;
  /** Mean completeness behind lag-aware. */
  c: number | undefined;
  measured: Record<EstimateMethod, Measured>;
}

export type Decision =
  | { method: EstimateMethod; value: number; rejected: Partial<Record<EstimateMethod, string>> }
  | { method: 'withheld'; value: null; reason: string; rejected: Partial<Record<EstimateMethod, string>> };

const pct = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const yearsText = (years: readonly number[]) => yearSpan(Math.min(...years), Math.max(...years));

/** Why a measured method fails, or undefined when its backtest passes or cannot judge it. */
function measuredProblem(measured: Measured, monthDay: string): string | undefined {
  if (measured.mape === null || measured.years.length < EVIDENCE.minBacktestYears) return undefined;
  if (measured.mape <= EVIDENCE.maxBacktestErrorPct) return undefined;
  return `its backtest at ${monthDay} on ${yearsText(measured.years)} is off by ${measured.mape.toFixed(1)} % on average (over ${EVIDENCE.maxBacktestErrorPct} %)`;
}

const judgedByBacktest = (m: Measured) => m.mape !== null && m.years.length >= EVIDENCE.minBacktestYears;

/** Why lag-aware may not be shown, or undefined. */
function lagAwareProblem(input: EvidenceInput, monthDay: string): string | undefined {
  if (input.lagAware === undefined || input.c === undefined) return 'no completeness data for the years before';
  if (input.c < EVIDENCE.minCompleteness) {
    return `past years held only ${pct(input.c)} of their ${input.unit} by ${monthDay} (under ${pct(EVIDENCE.minCompleteness)}), so the estimate would be mostly extrapolation`;
  }
  return measuredProblem(input.measured['lag-aware'], monthDay);
}

/** Why linear may not be shown, or undefined. */
function linearProblem(input: EvidenceInput, monthDay: string): string | undefined {
  const measured = input.measured.linear;
  if (judgedByBacktest(measured)) return measuredProblem(measured, monthDay);
  const day = getDayOfYear(calendarDay(input.observedAt));
  if (day < EVIDENCE.minLinearDay) {
    return `day ${day} of the year is too early to scale by the calendar (before day ${EVIDENCE.minLinearDay}) and no backtest measures it`;
  }
  return undefined;
}

/** The estimate shown for one keyword's partial year: lag-aware when its evidence holds, else linear, else none. */
export function decide(input: EvidenceInput): Decision {
  const monthDay = input.observedAt.slice(5);
  if (input.count < EVIDENCE.minCount) {
    const reason = `${input.count} ${input.unit} counted so far are too few to extrapolate (under ${EVIDENCE.minCount})`;
    return { method: 'withheld', value: null, reason, rejected: { 'lag-aware': reason, linear: reason } };
  }
  // Both are judged, so neither is shown beside the other (report.json, CSV) when its evidence fails.
  const lag = lagAwareProblem(input, monthDay);
  const linear = linearProblem(input, monthDay);
  const rejected: Partial<Record<EstimateMethod, string>> = {
    ...(lag === undefined ? {} : { 'lag-aware': lag }),
    ...(linear === undefined ? {} : { linear }),
  };
  if (lag === undefined) return { method: 'lag-aware', value: input.lagAware!, rejected };
  if (linear === undefined) return { method: 'linear', value: input.linear, rejected };
  return { method: 'withheld', value: null, reason: `lag-aware: ${lag}; linear: ${linear}`, rejected };
}

/** The rule in words, for the methodology. */
export function evidenceRule(): string {
  const e = EVIDENCE;
  return (
    `each keyword is judged on its own: lag-aware is shown when past years held at least ${pct(e.minCompleteness)} of their count by the same month/day and its leave-one-out backtest there, on the ${COMPLETENESS_YEARS} complete years it averages, is off by at most ${e.maxBacktestErrorPct} % on average (when at least ${e.minBacktestYears} years can be backtested); ` +
    `otherwise linear, when its backtest at the same month/day on the same years is off by at most ${e.maxBacktestErrorPct} %, or, with no backtest, from day ${e.minLinearDay} of the year (1 March) on; ` +
    `otherwise no estimate is shown (an empty value and the reason). Neither is shown for fewer than ${e.minCount} items counted so far. Without an estimate, that year's shares are empty for every keyword and its growth for that keyword`
  );
}
