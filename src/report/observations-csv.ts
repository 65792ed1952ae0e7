import { HISTORY_ORDER, type HistoryRow, type StoredObservation } from '../core/observation.js';
import { toCsv } from './csv.js';

/**
 * observations.csv: the whole stored history, one row per stored observation (tidy/long). `method` is appended
 * after the agreed columns because Hub `exact` and `fast` counts otherwise look like duplicates.
 */
export const OBSERVATION_COLUMNS = ['source', 'metric', 'subject', 'period', 'value', 'observed_at', 'run_id', 'query', 'method'] as const;

/** observations.csv from observations in any order. */
export function observationsCsv(observations: readonly StoredObservation[], options: { bom?: boolean } = {}): string {
  return historyCsv([...observations].sort(compareHistory).map(historyRow), options);
}

/** observations.csv from rows already in HISTORY_ORDER (the store's `historyRows`), consumed one at a time. */
export function historyCsv(rows: Iterable<HistoryRow>, options: { bom?: boolean } = {}): string {
  return toCsv(OBSERVATION_COLUMNS, rows, options);
}

export function historyRow(o: StoredObservation): HistoryRow {
  return [o.source, o.metric, o.subject, o.period, o.value, o.observedAt, o.runId, o.query, o.method];
}

function compareHistory(a: StoredObservation, b: StoredObservation): number {
  for (const key of HISTORY_ORDER) {
    const x = a[key];
    const y = b[key];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
