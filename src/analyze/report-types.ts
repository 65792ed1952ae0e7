import type { HubMethod } from './hub-config.js';

/**
 * The shape of report.json (snake_case, as on disk). Shares and growth rates are fractions (0.9110 = 91.10 %);
 * fractions are rounded to 6 decimals and estimates to 2, so the file diffs cleanly between runs.
 */
export interface Report {
  as_of: string;
  generated_at: string;
  /** `replayed` when any observation came from a replay directory rather than the live APIs; `none` when nothing is stored. */
  data_origin: 'live' | 'replayed' | 'none';
  /** What the source of the data says about it, e.g. that a demo archive's counts are illustrative. */
  data_notices: string[];
  methodology: Methodology;
  huggingface: HubReport;
  audit: ClaimsAudit;
  pubmed: PubmedReport;
  /** Things a reader must know: skipped comparisons, inconsistent counts, adjustment fallbacks, gaps. */
  warnings: string[];
}

export interface QueryRecord {
  source: string;
  metric: string;
  subject: string;
  method: string;
  /** The period whose stored query is shown; PubMed queries differ per year only in the year. */
  period: string;
  observed_at: string;
  query: string;
}

export interface Methodology {
  huggingface: {
    configured_method: HubMethod | null;
    method_choice: string;
    segments: string;
    shares: string;
  };
  pubmed: {
    terms: { keyword: string; term: string }[];
    shares: string;
    partial_year: string;
    growth: string;
    trend: string;
    crossovers: string;
  };
  audit: string;
  /** One entry per series actually used, so each number can be re-queried. Every query is in observations.csv. */
  queries: QueryRecord[];
}

export interface HubSegment {
  /** `PyTorch only`, `PyTorch and TensorFlow`. */
  segment: string;
  frameworks: string[];
  /** Stored subject label for the "has all of these" count (`pytorch+tf`). */
  subject: string;
  models: number;
  share: number;
}

export interface HubAvailability {
  framework: string;
  subject: string;
  models: number;
  share: number;
}

export interface HubSnapshot {
  observed_at: string;
  method: 'exact' | 'fast';
  /** Models carrying at least one of the comparison's frameworks (the union). */
  total: number;
  segments: HubSegment[];
  availability: HubAvailability[];
}

export interface HubComparison extends HubSnapshot {
  /** `PyTorch vs TensorFlow`. */
  comparison: string;
  frameworks: string[];
  /** Every usable observation date, oldest first; the top-level figures are the last entry. */
  history: HubSnapshot[];
}

export interface HubSkip {
  comparison: string;
  observed_at: string | null;
  reason: string;
}

export interface HubReport {
  configured_method: HubMethod | null;
  comparisons: HubComparison[];
  skipped: HubSkip[];
}

export type ShareBasis = 'exclusive' | 'availability' | 'shared';

export interface AuditBasis {
  basis: ShareBasis;
  /** What the basis means in words, e.g. `PyTorch only, share of all models`. */
  description: string;
  pct: number;
  holds: boolean;
}

export interface AuditClaim {
  id: string;
  /** The article's words. */
  quote: string;
  framework: string;
  qualifier: 'almost' | 'about';
  stated_pct: number;
  /** The basis the article's wording names. */
  intended_basis: ShareBasis;
  /** Accepted interval for the stated figure, in percent. */
  accepted: [number, number];
  recomputed_pct: number;
  holds: boolean;
  bases: AuditBasis[];
  /** Bases on which the stated figure would hold. */
  holding_bases: ShareBasis[];
  verdict: string;
}

export interface ClaimsAudit {
  status: 'computed' | 'unavailable';
  reason: string | null;
  comparison: string | null;
  observed_at: string | null;
  method: string | null;
  tolerances: { almost: string; about: string };
  claims: AuditClaim[];
}

export type AdjustmentMethod = 'lag-aware' | 'linear' | 'none';

export interface PubmedAdjustment {
  /** Which adjustment produced `adjusted` for the partial year; `none` when no partial year is in the range. */
  method: AdjustmentMethod;
  /** Observation date of the partial-year counts (the date the adjustment extrapolates from). */
  as_of: string | null;
  partial_year: number | null;
  /** Linear factor days-in-year / day-of-year at `as_of` (always given, for comparison). */
  factor: number | null;
  /** Lag-aware mean completeness per keyword (share of the final count created by the same month/day). */
  completeness: Record<string, number> | null;
  /** The per-year completeness ratios behind each mean. */
  completeness_by_year: Record<string, Record<string, number>>;
  years_used: number[];
  note: string;
}

export interface PubmedPoint {
  year: number;
  /** Stored count; null when the year was not observed (distinct from 0). */
  count: number | null;
  /** The value used for shares and growth: the count, or the adjusted estimate in the partial year. */
  adjusted: number | null;
  partial: boolean;
  /** Both adjustments, beside the raw count, in the partial year only. */
  adjusted_linear: number | null;
  adjusted_lag_aware: number | null;
  /** Share among the configured keywords that year (mentions, not papers: one paper can name several). */
  share: number | null;
  /** Growth over the previous year, on adjusted values. */
  yoy: number | null;
  observed_at: string | null;
}

export interface Cagr {
  from_year: number;
  to_year: number;
  rate: number;
}

export interface TrendLine {
  slope_per_year: number;
  intercept: number;
  r_squared: number;
  from_year: number;
  to_year: number;
  n: number;
}

export interface PubmedSeries {
  keyword: string;
  term: string;
  /** Latest observation date among the series' points (staleness check). */
  observed_at: string | null;
  points: PubmedPoint[];
  missing_years: number[];
  cagr: Cagr | null;
  trend: TrendLine | null;
}

export interface Crossover {
  leader: string;
  trailer: string;
  /** `crossed`: first year the leader exceeds the trailer after a year it did not; otherwise it never changed. */
  status: 'crossed' | 'ahead_from_start' | 'never_ahead';
  year: number | null;
  partial: boolean;
  /** Whether the leader is ahead in the last year both have values (the current standing). */
  ahead_in_last_year: boolean;
}

export interface BacktestRow {
  keyword: string;
  year: number;
  /** Papers of that year whose record existed by the same month/day (what a report then would have seen). */
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
  note: string;
}

export interface PubmedReport {
  from_year: number | null;
  to_year: number | null;
  keywords: string[];
  adjustment: PubmedAdjustment;
  series: PubmedSeries[];
  crossovers: Crossover[];
  backtest: Backtest;
}
