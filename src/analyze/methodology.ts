import { isLaterPeriod, type StoredObservation } from '../core/observation.js';
import type { QueryRecord } from './report-types.js';

/** One query per series (source, metric, subject, method): the one behind its most recent period. */
export function queryRecords(rows: readonly StoredObservation[]): QueryRecord[] {
  const bySeries = new Map<string, StoredObservation>();
  for (const o of rows) {
    const key = [o.source, o.metric, o.subject, o.method].join('\u0000');
    const seen = bySeries.get(key);
    if (!seen || isLaterPeriod(o.period, seen.period)) bySeries.set(key, o);
  }
  return [...bySeries.values()]
    .sort(
      (a, b) =>
        a.source.localeCompare(b.source) ||
        a.metric.localeCompare(b.metric) ||
        a.subject.localeCompare(b.subject) ||
        a.method.localeCompare(b.method),
    )
    .map((o) => ({
      source: o.source,
      metric: o.metric,
      subject: o.subject,
      method: o.method,
      period: o.period,
      observed_at: o.observedAt,
      query: o.query,
    }));
}
