import type { Indicator, IndicatorValue, MissingBaseline } from '../indicator.js';
import { sharePercent } from '../indicator.js';
import type { QuarterlyShareSeries } from './spec.js';
import type { QuarterlyComparisonPoint, QuarterlyReport } from './types.js';

/**
 * Per comparison and framework: its share of the first unit's items with any framework of the comparison (the
 * comparison CSV's share_pct), in the last full quarter against four quarters before. Stored history needed: the
 * latest snapshot only (it holds every quarter), which the analysis already reads.
 */
export function quarterlyIndicators(series: QuarterlyShareSeries, data: QuarterlyReport, asOf: string): Indicator[] {
  const quarter = data.quarters.filter((q) => q !== data.partial_quarter).at(-1);
  if (quarter === undefined || data.observed_at === null) return [];
  const observedAt = data.observed_at;
  const yearBefore = `${Number(quarter.slice(0, 4)) - 1}${quarter.slice(4)}`;
  const [unit = series.text.unit] = data.units;
  // The source's data ends before the as-of date (an archive frozen since), so no later quarter will come.
  const notes = data.through < asOf ? [`the data ends ${data.through}: no later quarter will be added`] : [];
  return data.comparisons.flatMap((c) =>
    c.frameworks.flatMap((framework): Indicator[] => {
      const point = c.points.find((p) => p.quarter === quarter && p.framework === framework);
      const value = point ? shareOf(point) : null;
      if (value === null) return [];
      const before = c.points.find((p) => p.quarter === yearBefore && p.framework === framework);
      return [
        {
          framework,
          indicator: `share of ${unit}, ${c.comparison}`,
          label: series.comparisons.length > 1 ? `${series.text.source} ${unit} (${c.comparison})` : `${series.text.source} ${unit}`,
          measure: 'share',
          unit: '%',
          latest: { period: quarter, value, observedAt },
          baseline: baselineOf(before, yearBefore, observedAt, data, unit),
          notes,
        },
      ];
    }),
  );
}

const shareOf = (p: QuarterlyComparisonPoint): number | null =>
  p.count === null || p.union === null ? null : sharePercent(p.count, p.union);

function baselineOf(
  point: QuarterlyComparisonPoint | undefined,
  quarter: string,
  observedAt: string,
  data: QuarterlyReport,
  unit: string,
): IndicatorValue | MissingBaseline {
  if (!point) return { period: quarter, missing: `${quarter} is not stored (the first quarter is ${data.quarters[0]})` };
  const value = shareOf(point);
  if (value === null) return { period: quarter, missing: `no ${unit} of the comparison in ${quarter}` };
  return { period: quarter, value, observedAt };
}
