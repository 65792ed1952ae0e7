import type { RowSelection } from '../../core/row-selection.js';
import type { RowsRead } from '../kind-analysis.js';
import type { QuarterlyShareSeries } from './spec.js';

/** Every metric the series stores: each unit's counts and totals, the comparisons' unions, the items left out. */
export function quarterlyMetrics(series: QuarterlyShareSeries): string[] {
  return [
    ...new Set([
      ...series.units.flatMap((u) => [u.metric, u.totalMetric]),
      ...series.comparisons.map((c) => c.unionMetric),
      ...(series.leftOut ? [series.leftOut.metric] : []),
    ]),
  ];
}

/**
 * What the quarterly analysis reads: the latest snapshot, every count stored on the newest date that stored the
 * first unit's totals. That date is found from each quarter's latest total, then the snapshot of that day is read.
 */
export function quarterlyRows(series: QuarterlyShareSeries, asOf: string, read: RowsRead): RowSelection[] {
  const [first] = series.units;
  if (!first) return [];
  const { source, method } = series;
  const need: RowSelection[] = [{ take: 'latest', source, metrics: [first.totalMetric], methods: [method], to: asOf }];
  if (!read.has(...need)) return need;
  let newest: string | undefined;
  for (const o of read.rows) {
    if (o.source === source && o.method === method && o.metric === first.totalMetric && (newest === undefined || o.observedAt > newest))
      newest = o.observedAt;
  }
  if (newest !== undefined)
    need.push({ take: 'latest', source, metrics: quarterlyMetrics(series), methods: [method], from: newest, to: newest });
  return need;
}
