import { estimateRule } from './estimate.js';
import type { MonthlyCountSeries } from './spec.js';
import type { MonthlyCountMethodology } from './types.js';

/** How a monthly-count series was computed, in words a reader can check against the numbers. */
export function monthlyCountMethodology(series: MonthlyCountSeries): MonthlyCountMethodology {
  const { unit, members } = series.text;
  return {
    counted: series.text.counted,
    members: `a framework's ${unit} are the sum over its ${members}: ${series.frameworks.map((f) => `${f.name}: ${f.members.join(', ')}`).join('; ')}`,
    shares:
      series.comparisons.length === 0
        ? 'no comparison is configured, so no shares'
        : `per comparison, a framework's share = its ${unit} ÷ the summed ${unit} of the comparison's frameworks that month (${series.comparisons.map((c) => c.label).join('; ')}); share_pct in the CSV is the share in the first comparison the framework is in, empty for a framework in none; in the partial month both sides cover the same days`,
    partial_month:
      'counted through the last day the data holds (bounded by the as-of date): the month holding it is partial unless that day is its last, with the days it covers; days after it are missing, not 0, and later months are not reported',
    estimate: estimateRule(unit),
    growth:
      'yoy = a month over the same month a year before (complete months; the partial month on its estimate, empty without one); rolling_12m = the sum of the 12 months ending with the month, when all 12 are complete and stored',
    zeros_and_missing: `months before a framework's first ${unit} count 0 (the source holds the whole history, so a month it has nothing for had none), and data_starts names the first month above 0; a month that was never stored is missing (empty), never 0`,
    caveats: [...series.text.caveats],
  };
}
