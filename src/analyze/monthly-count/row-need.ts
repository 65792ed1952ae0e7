import type { RowSelection } from '../../core/row-selection.js';
import type { MonthlyCountSeries } from './spec.js';

/**
 * What the monthly-count analysis reads: each framework's latest count, days covered and daily count of every
 * period as of the report date (it keeps the latest of each period and nothing else), so the year before and
 * the month a year before are among them.
 */
export function monthlyCountRows(series: MonthlyCountSeries, asOf: string): RowSelection[] {
  if (series.frameworks.length === 0) return [];
  return [
    {
      take: 'latest',
      source: series.source,
      metrics: [series.metric, series.daysMetric, series.dailyMetric],
      subjects: series.frameworks.map((f) => f.name),
      methods: [series.method],
      to: asOf,
    },
  ];
}
