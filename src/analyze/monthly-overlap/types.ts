/**
 * The report.json section of a monthly-overlap series (snake_case, as on disk). Shares are fractions 0–1,
 * null when nothing was created that month.
 */

export interface MonthlySegment {
  /** `PyTorch only`, `PyTorch and TensorFlow`. */
  segment: string;
  frameworks: string[];
  /** Stored subject of the "has all of these" count (`pytorch+tf`). */
  subject: string;
  /** Items in exactly these frameworks created in the month. */
  created: number;
  /** Of the month's items carrying at least one framework of the comparison. */
  share: number | null;
  /** Items in exactly these frameworks created up to the end of the month (undated ones included), still listed. */
  cumulative: number;
}

export interface MonthlyRow {
  /** `YYYY-MM`, or the series' undated period. */
  month: string;
  /** Items created in the month carrying at least one framework of the comparison (the union). */
  total: number;
  cumulative_total: number;
  segments: MonthlySegment[];
}

export interface MonthlyTrend {
  /** The same month a year before `to_month`. */
  from_month: string;
  /** The last full month before the observation date. */
  to_month: string;
  segments: { segment: string; frameworks: string[]; from_share: number | null; to_share: number | null }[];
}

/** The cumulative curve against the totals observed on a day just after a month ended. */
export interface SnapshotGap {
  /** The month whose end the cumulative count is taken at. */
  month: string;
  /** The earliest day of the next month with a stored snapshot, before the histogram's date. */
  observed_on: string;
  method: string;
  /** Items carrying at least one framework, as counted on `observed_on`. */
  observed: number;
  /** Items created up to the end of `month` and still listed on the histogram's date. */
  cumulative: number;
  /** observed − cumulative: items listed then but not now (deleted, made private or re-tagged), plus those created between the month's end and `observed_on`. */
  gap: number;
  segments: { segment: string; frameworks: string[]; observed: number; cumulative: number; gap: number }[];
}

export interface MonthlyComparison {
  /** `PyTorch vs TensorFlow`. */
  comparison: string;
  frameworks: string[];
  /** The date whose listing the histogram is. */
  observed_at: string;
  method: string;
  /** Items carrying at least one framework: undated and every month. */
  total: number;
  undated: MonthlyRow;
  /** Every month from the earliest creation month to the latest stored one, oldest first. */
  months: MonthlyRow[];
  /** The month before the observation date's month, when it is in `months`. */
  last_full_month: string | null;
  trend: MonthlyTrend | null;
  /** One entry per month that ended before a stored snapshot (the earliest one of the next month). */
  snapshot_gap: SnapshotGap[];
}

export interface MonthlySkip {
  comparison: string;
  observed_at: string | null;
  reason: string;
}

export interface MonthlyReport {
  configured_method: string | null;
  comparisons: MonthlyComparison[];
  /** Histogram dates that could not be used (newer than the one used), and comparisons with none. */
  skipped: MonthlySkip[];
  /** Why there is nothing to show, when no comparison has monthly counts; null otherwise. */
  unavailable: string | null;
}

/** The methodology block of a monthly-overlap series in report.json. */
export interface MonthlyMethodology {
  configured_method: string | null;
  counted: string;
  months: string;
  undated: string;
  date_choice: string;
  segments: string;
  shares: string;
  cumulative: string;
  trend: string;
  snapshot_gap: string;
  caveats: string[];
  unavailable: string;
}
