import type { Indicator, IndicatorValue, MissingBaseline } from '../indicator.js';
import { sharePercent } from '../indicator.js';
import { monthIndex, monthOfIndex } from '../months.js';
import type { MonthlyOverlapSeries } from './spec.js';
import type { MonthlyComparison, MonthlyRow, MonthlyReport } from './types.js';

/**
 * Per comparison and framework: its availability share among the month's new items (items created that month
 * carrying it, alone or with others, of those carrying any framework of the comparison), in the last full month
 * against the same month a year before. Stored history needed: the latest whole histogram only (both months are
 * rows of it), which the analysis already rebuilds; no earlier histogram.
 */
export function monthlyIndicators(series: MonthlyOverlapSeries, data: MonthlyReport): Indicator[] {
  const { source, unit } = series.text;
  return data.comparisons.flatMap((c) => {
    const month = c.last_full_month;
    const row = c.months.find((m) => m.month === month);
    if (month === null || !row) return [];
    const yearBefore = monthOfIndex(monthIndex(month)! - 12);
    const before = c.months.find((m) => m.month === yearBefore);
    return c.frameworks.flatMap((framework): Indicator[] => {
      const value = availability(row, framework);
      if (value === null) return [];
      return [
        {
          framework,
          indicator: `availability share of new ${unit}, ${c.comparison}`,
          label: series.comparisons.length > 1 ? `${source} new ${unit} (${c.comparison})` : `${source} new ${unit}`,
          measure: 'share',
          unit: '%',
          latest: { period: month, value, observedAt: c.observed_at },
          baseline: baselineOf(c, before, yearBefore, framework, unit),
          notes: [],
        },
      ];
    });
  });
}

/** Items of the month carrying `framework` (every segment that includes it) over the month's union, in percent. */
function availability(row: MonthlyRow, framework: string): number | null {
  const carrying = row.segments.filter((s) => s.frameworks.includes(framework)).reduce((sum, s) => sum + s.created, 0);
  return sharePercent(carrying, row.total);
}

function baselineOf(
  c: MonthlyComparison,
  row: MonthlyRow | undefined,
  month: string,
  framework: string,
  unit: string,
): IndicatorValue | MissingBaseline {
  if (!row) return { period: month, missing: `${month} is before the earliest creation month listed (${c.months[0]?.month})` };
  const value = availability(row, framework);
  if (value === null) return { period: month, missing: `no ${unit} of the comparison listed as created in ${month}` };
  return { period: month, value, observedAt: c.observed_at };
}
