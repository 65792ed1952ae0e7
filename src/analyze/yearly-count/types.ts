import type { Cagr, Crossover, TrendLine } from '../statistics-types.js';

/**
 * The report.json section of a yearly-count series (snake_case, as on disk). Shares and growth rates are
 * fractions (0.9110 = 91.10 %), rounded to 6 decimals; estimates to 2.
 */
export interface YearlyReport {
  from_year: number | null;
  to_year: number | null;
  keywords: string[];
  adjustment: Adjustment;
  series: KeywordSeries[];
  crossovers: Crossover[];
  backtest: Backtest;
}

/** `mixed`: keywords of the partial year use different methods; `withheld`: none has an estimate. */
export type AdjustmentMethod = 'lag-aware' | 'linear' | 'withheld' | 'mixed' | 'none';

export interface Adjustment {
  /** Which adjustment produced `adjusted` for the partial year; `none` when no partial year is in the range. */
  method: AdjustmentMethod;
  /** Observation date of the partial-year counts (the date the adjustment extrapolates from). */
  as_of: string | null;
  partial_year: number | null;
  /** Linear factor days-in-year / day-of-year at `as_of` (always given, for comparison). */
  factor: number | null;
  /** Lag-aware mean completeness per keyword (share of the final count visible by the same month/day). */
  completeness: Record<string, number> | null;
  /** The per-year completeness ratios behind each mean. */
  completeness_by_year: Record<string, Record<string, number>>;
  years_used: number[];
  /** Per keyword of the partial year: `lag-aware`, `linear` or `withheld`. */
  methods: Record<string, string>;
  /** Per keyword whose estimate is withheld: why. */
  withheld: Record<string, string>;
  /** Per keyword and method the evidence did not support: why (linear may be rejected while lag-aware is used). */
  rejected: Record<string, Record<string, string>>;
  note: string;
}

export interface YearlyPoint {
  year: number;
  /** Stored count; null when the year was not observed (distinct from 0). */
  count: number | null;
  /** The value used for shares and growth: the count, or the adjusted estimate in the partial year. */
  adjusted: number | null;
  partial: boolean;
  /** Both adjustments, beside the raw count, in the partial year only, each when its evidence supports it. */
  adjusted_linear: number | null;
  adjusted_lag_aware: number | null;
  /** Share among the configured keywords that year (mentions, not items: one item can name several). */
  share: number | null;
  /** Growth over the previous year, on adjusted values. */
  yoy: number | null;
  observed_at: string | null;
  /** In a partial year: the estimate shown (`lag-aware`, `linear`) or `withheld`; null in complete years. */
  estimate_method: string | null;
  /** Why no estimate is shown, when withheld. */
  withheld_reason: string | null;
  /**
   * The count per million items of the same year in the source (the series' denominator). In a partial year the
   * raw count over the raw total observed the same day, both partial alike; null without a denominator or a total.
   */
  per_million: number | null;
}

export interface KeywordSeries {
  keyword: string;
  term: string;
  /** Latest observation date among the series' points (staleness check). */
  observed_at: string | null;
  points: YearlyPoint[];
  missing_years: number[];
  cagr: Cagr | null;
  trend: TrendLine | null;
}

export interface BacktestRow {
  keyword: string;
  year: number;
  /** Items of that year visible by the same month/day (what a report then would have seen). */
  visible: number;
  /** The year's count now. */
  actual: number;
  linear: number;
  linear_error_pct: number;
  lag_aware: number | null;
  lag_aware_error_pct: number | null;
}

export interface Backtest {
  /** `MM-DD` the adjustments are tested at (the as-of month/day). */
  month_day: string | null;
  rows: BacktestRow[];
  /** Mean absolute percentage error per method, over the rows that have an estimate. */
  mape: { linear: number | null; lag_aware: number | null };
  n: { linear: number; lag_aware: number };
  /** The same scores at the as-of month/day and at the early-year calibration cutoffs, every keyword pooled. */
  by_month_day: BacktestCutoff[];
  note: string;
}

export interface BacktestCutoff {
  month_day: string;
  mape: { linear: number | null; lag_aware: number | null };
  n: { linear: number; lag_aware: number };
}

/** The methodology block of a yearly-count series in report.json. */
export interface YearlyMethodology {
  terms: { keyword: string; term: string }[];
  /** What a keyword's query matches in the source; null when the series does not say. */
  search: string | null;
  shares: string;
  partial_year: string;
  growth: string;
  trend: string;
  crossovers: string;
  /** How `per_million` is computed; null when the series has no denominator. */
  per_million: string | null;
}
