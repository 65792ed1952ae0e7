import type { MonthlyOverlapSeries } from './spec.js';
import type { MonthlyMethodology } from './types.js';

/** How a monthly-overlap series was computed, in words a reader can check against the numbers. */
export function monthlyMethodology(series: MonthlyOverlapSeries): MonthlyMethodology {
  const { unit } = series.text;
  return {
    configured_method: series.configuredMethod,
    counted: series.text.counted,
    months: `UTC calendar months (YYYY-MM), every month from the earliest creation month to the observation month, zeros included; a month absent from a stored histogram counts 0`,
    undated: `${series.text.undated}; listed as "${series.undatedPeriod}", first, never as a month`,
    date_choice: `per comparison, the latest observation date on which every subset's monthly counts were stored (${series.method} counts) and each adds up to that day's total; dates are never mixed, and newer dates that could not be used are listed with why`,
    segments: `${unit} created in a month in exactly one subset follow by inclusion-exclusion over that month's counts (sum over supersets T of (-1)^(|T|-|S|) count(T)); a negative result is reported as inconsistent data and the date is not used`,
    shares: `segment ${unit} created in the month / ${unit} created in the month carrying at least one framework of the comparison (the union); empty when none was`,
    cumulative: `undated ${unit} plus every month up to and including this one: the ${unit} created by the month's end that are still listed on the observation date`,
    trend: `each segment's share of the ${unit} created in the last full month (the month before the observation date's) against the same month a year before`,
    snapshot_gap: `for each month that ended before a stored snapshot of the point-in-time totals, the earliest snapshot of the next month (before the observation date) against the cumulative count at the month's end: gap = observed - cumulative, the ${unit} listed then but no longer (deleted, made private, re-tagged), plus those created between the month's end and the snapshot`,
    caveats: [...series.text.caveats],
    unavailable: series.text.unavailable,
  };
}
