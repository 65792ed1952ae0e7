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
      a.source.localeCompare(b.source) ||
      a.metric.localeCompare(b.metric) ||
      a.subject.localeCompare(b.subject) ||
      a.method.localeCompare(b.method) ||
      a.period.localeCompare(b.period) ||
      a.observedAt.localeCompare(b.observedAt) ||
      a.runId - b.runId ||
      a.id - b.id,
  );
  return toCsv(
    OBSERVATION_COLUMNS,
    sorted.map((o) => [o.source, o.metric, o.subject, o.period, o.value, o.observedAt, o.runId, o.query, o.method]),
    options,
  );
}
