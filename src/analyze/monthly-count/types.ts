/**
 * The report.json section of a monthly-count series (snake_case, as on disk). Shares and growth are fractions
 * (0.9110 = 91.10 %) rounded to 6 decimals; estimates keep 2 decimals.
 */
export interface MonthlyCountReport {
  from_month: string;
  /** The last month reported: the month of `through`; null when nothing is stored. */
  to_month: string | null;
  /** The last day counted (the data's last day, bounded by the as-of date); null when nothing is stored. */
  through: string | null;
  /** The month `through` falls in, unless `through` is its last day: counted in part. */
  partial_month: string | null;
  /** The latest month counted to its last day. */
  last_full_month: string | null;
  /** Latest observation date of the counts shown. */
  observed_at: string | null;
  frameworks: string[];
  months: string[];
  series: MonthlyCountFramework[];
  /** Per comparison, each member's share of the members' summed count, every month: the CSV's share_pct comes from the first one a framework is in. */
  comparisons: MonthlyCountComparison[];
  /** The partial month's day-proportional estimate and the backtest it rests on; null without a partial month. */
  estimate: PartialMonthEstimate | null;
}

export interface MonthlyCountFramework {
  framework: string;
  members: string[];
  /** The first month with a count above 0 (months before it count 0); null when every month is 0 or missing. */
  data_starts: string | null;
  /** Latest observation date among the framework's points. */
  observed_at: string | null;
  points: MonthlyCountPoint[];
  /** Months of the range with no stored count (missing, not 0). */
  missing_months: string[];
}

export interface MonthlyCountPoint {
  month: string;
  /** Stored count; null when the month is not stored (missing, distinct from 0). */
  count: number | null;
  /** Counted in part: `days_covered` is less than the month's days. */
  partial: boolean;
  /** Days of the month the count covers; null when not stored. */
  days_covered: number | null;
  days_in_month: number;
  /** The partial month's day-proportional estimate, when its backtest supports it; null otherwise and in complete months. */
  estimate: number | null;
  /** Share of the count of the first comparison the framework is in (its members' summed count that month). */
  share: number | null;
  /** Change over the same month a year before (complete months; the partial month on its estimate). */
  yoy: number | null;
  /** Sum of the 12 months ending with this one, when all 12 are complete and stored. */
  rolling_12m: number | null;
  observed_at: string | null;
}

export interface MonthlyCountComparison {
  comparison: string;
  frameworks: string[];
  points: MonthlyCountComparisonPoint[];
}

export interface MonthlyCountComparisonPoint {
  month: string;
  framework: string;
  count: number | null;
  /** The members' summed count that month. */
  total: number | null;
  /** count ÷ total; in the partial month both cover the same days. */
  share: number | null;
  partial: boolean;
}

export interface PartialMonthEstimate {
  month: string;
  days_covered: number;
  days_in_month: number;
  /** days_in_month ÷ days_covered: what the raw count is multiplied by. */
  factor: number;
  /** The largest mean backtest error an estimate is shown with, in percent. */
  max_error_pct: number;
  /** Complete months the backtest needs. */
  months_needed: number;
  frameworks: PartialMonthFramework[];
}

export interface PartialMonthFramework {
  framework: string;
  raw: number | null;
  estimate: number | null;
  method: 'day-proportional' | 'withheld';
  withheld_reason: string | null;
  /** Mean absolute error of the backtest, in percent; null when it could not be run. */
  mape: number | null;
  backtest: BacktestMonth[];
}

export interface BacktestMonth {
  month: string;
  /** The count of the month's first days (as many as the partial month has, or all of a shorter month). */
  visible: number;
  final: number;
  estimate: number;
  error_pct: number;
}

/** The methodology block of a monthly-count series in report.json. */
export interface MonthlyCountMethodology {
  counted: string;
  members: string;
  shares: string;
  partial_month: string;
  estimate: string;
  growth: string;
  zeros_and_missing: string;
  /** What the counts are not. */
  caveats: string[];
}
