/** The report.json section of a quarterly-share series (snake_case, as on disk). Shares are fractions 0–1. */

export interface QuarterlyTotal {
  quarter: string;
  /** Per unit: the quarter's count over every framework (null when not stored). */
  counts: Record<string, number | null>;
  partial: boolean;
}

export interface QuarterlyPoint {
  quarter: string;
  framework: string;
  /** Per unit: the framework's count that quarter (null when not stored). */
  counts: Record<string, number | null>;
  /** Per unit: count ÷ the quarter's total (null when either is missing or the total is 0). */
  shares: Record<string, number | null>;
  partial: boolean;
}

export interface QuarterlyComparisonPoint {
  quarter: string;
  framework: string;
  /** Items (of the first unit) carrying this framework. */
  count: number | null;
  /** Items carrying any framework of the comparison. */
  union: number | null;
  /** count ÷ union. */
  share: number | null;
  partial: boolean;
}

export interface QuarterlyComparison {
  /** `PyTorch vs TensorFlow`. */
  comparison: string;
  frameworks: string[];
  points: QuarterlyComparisonPoint[];
}

export interface QuarterlyLeftOutCount {
  /** The stored reason. */
  reason: string;
  description: string;
  count: number;
}

export interface QuarterlyReport {
  /** The observation date of the counts shown (the latest snapshot by the as-of date); null when none is stored. */
  observed_at: string | null;
  /** The day the counts describe: the as-of date, or the day the source's data ends when that is earlier. */
  through: string;
  /**
   * What the counts take in, for "counted through …": `through` itself, or, for items dated by month only,
   * `the whole of 2024-07` (the as-of date's whole month is counted).
   */
  counted_through: string;
  /** The quarter `through` falls in, unless `through` is its last day: counted in part, not extrapolated. */
  partial_quarter: string | null;
  quarters: string[];
  frameworks: string[];
  /** The counted units, in column order; the first is the one comparisons share. */
  units: string[];
  totals: QuarterlyTotal[];
  points: QuarterlyPoint[];
  comparisons: QuarterlyComparison[];
  /** Items placed in no quarter, per reason (empty when the source stores none). */
  left_out: QuarterlyLeftOutCount[];
}

/** The methodology block of a quarterly-share series in report.json. */
export interface QuarterlyMethodology {
  counted: string;
  shares: string;
  comparisons: string;
  partial_quarter: string;
  left_out: string | null;
  snapshot: string;
}
