import { evidenceRule } from './evidence.js';
import { perMillionMethodology } from './per-million.js';
import type { YearlyCountSeries } from './spec.js';
import type { YearlyMethodology } from './types.js';

/** How a yearly-count series was computed, in words a reader can check against the numbers. */
export function yearlyMethodology(series: YearlyCountSeries): YearlyMethodology {
  const lagAware = series.completeness ? `lag-aware: ${series.completeness.text.methodology}; ` : '';
  return {
    terms: series.keywords.map((k) => ({ keyword: k.keyword, term: k.term })),
    search: series.text.search ?? null,
    shares: series.text.shares,
    partial_year:
      'a count observed before its year ended is partial; shares and growth use its adjusted value and the point is flagged. ' +
      `${lagAware}linear: count * days in year / day of year of the observation date (that day counted). ` +
      `Which is shown: ${evidenceRule()}`,
    growth: 'yoy = value / previous year - 1 on adjusted values; CAGR from the first year with a count above 0 to the last complete year',
    trend: 'least-squares line (simple-statistics linearRegression, rSquared) through the complete years',
    crossovers:
      'for each ordered pair, the first year the leader exceeds the trailer after a year it did not (years with a missing value skipped; on adjusted values)',
    per_million: perMillionMethodology(series.denominator),
  };
}
