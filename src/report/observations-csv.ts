import type { StoredObservation } from '../core/observation.js';
import { toCsv } from './csv.js';

/**
 * observations.csv: the whole stored history, one row per stored observation (tidy/long). `method` is appended
 * after the agreed columns because Hub `exact` and `fast` counts otherwise look like duplicates.
 */
export const OBSERVATION_COLUMNS = ['source', 'metric', 'subject', 'period', 'value', 'observed_at', 'run_id', 'query', 'method'] as const;

export function observationsCsv(observations: readonly StoredObservation[], options: { bom?: boolean } = {}): string {
  const sorted = [...observations].sort(
    (a, b) =>
      byCodePoint(a.source, b.source) ||
      byCodePoint(a.metric, b.metric) ||
      byCodePoint(a.subject, b.subject) ||
      byCodePoint(a.method, b.method) ||
      byCodePoint(a.period, b.period) ||
      byCodePoint(a.observedAt, b.observedAt) ||
      a.runId - b.runId ||
      a.id - b.id,
  );
  return toCsv(
    OBSERVATION_COLUMNS,
    sorted.map((o) => [o.source, o.metric, o.subject, o.period, o.value, o.observedAt, o.runId, o.query, o.method]),
    options,
  );
}

/** Code-point order: the same on every machine whatever its locale, and far cheaper than localeCompare on years of rows. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
