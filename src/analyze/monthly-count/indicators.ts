import { type Indicator, type IndicatorValue, type MissingBaseline, sharePercent } from '../indicator.js';
import { monthIndex, monthOfIndex } from '../months.js';
import type { MonthlyCountSeries } from './spec.js';
import type { MonthlyCountComparison, MonthlyCountReport } from './types.js';

/**
 * Per comparison and framework: its share of the comparison's summed count (the CSV's share_pct for the first
 * comparison a framework is in), in the last full month against the same month twelve months before. Stored
 * history needed: the latest count of each of those two months, which the analysis already reads (it reports
 * every month of the range).
 */
export function monthlyCountIndicators(series: MonthlyCountSeries, data: MonthlyCountReport): Indicator[] {
  const month = data.last_full_month;
  if (month === null) return [];
  const yearBefore = monthOfIndex(monthIndex(month)! - 12);
  const { source, unit } = series.text;
  return data.comparisons.flatMap((c) =>
    c.frameworks.flatMap((framework): Indicator[] => {
      const latest = shareIn(c, month, framework);
      if (latest === null) return [];
      const observedAt = observedAtOf(data, framework, month);
      if (observedAt === null) return [];
      const starts = data.series.find((s) => s.framework === framework)?.data_starts ?? null;
      return [
        {
          framework,
          indicator: `share of ${unit}, ${c.comparison}`,
          label: series.comparisons.length > 1 ? `${source} ${unit} (${c.comparison})` : `${source} ${unit}`,
          measure: 'share',
          unit: '%',
          latest: { period: month, value: latest, observedAt },
          baseline: baselineOf(data, c, yearBefore, framework, unit),
          // Months before a framework's first counted one (inside the range) are stored as 0: an absence, said.
          notes: starts !== null && starts > data.from_month && starts > yearBefore ? [`${framework}'s ${unit} start in ${starts}`] : [],
        },
      ];
    }),
  );
}

/**
 * The framework's share of the comparison that month, in percent with 2 decimals from the two counts (not the
 * rounded fraction report.json holds), so the CSV, the tables, the chart and the scorecard write one number.
 */
export function shareIn(c: MonthlyCountComparison, month: string, framework: string): number | null {
  const point = c.points.find((p) => p.month === month && p.framework === framework);
  return point?.count === null || point?.count === undefined || point.total === null ? null : sharePercent(point.count, point.total);
}

function observedAtOf(data: MonthlyCountReport, framework: string, month: string): string | null {
  const point = data.series.find((s) => s.framework === framework)?.points.find((p) => p.month === month);
  return point?.observed_at ?? data.observed_at;
}

function baselineOf(
  data: MonthlyCountReport,
  c: MonthlyCountComparison,
  month: string,
  framework: string,
  unit: string,
): IndicatorValue | MissingBaseline {
  if (month < data.from_month) return { period: month, missing: `${month} is before the first month counted (${data.from_month})` };
  const value = shareIn(c, month, framework);
  const observedAt = observedAtOf(data, framework, month);
  if (value === null || observedAt === null) return { period: month, missing: `no ${unit} of the comparison stored for ${month}` };
  return { period: month, value, observedAt };
}
