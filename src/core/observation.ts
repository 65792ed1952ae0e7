/**
 * One measured number with its provenance. Every collector answer becomes a list of these; the store
 * appends them and the analyzer reads them back. Field names follow the CSV/JSON outputs (snake_case
 * on disk, camelCase in code).
 */
export interface Observation {
  /** Collector id (its folder under collectors/). */
  source: string;
  /** What was counted, e.g. `models`, `papers`, `papers_created_by`. */
  metric: string;
  /** What it was counted for: a tag combination (`pytorch+tf`) or a framework name (`PyTorch`). */
  subject: string;
  /** The period the value describes: `YYYY` for yearly series, `YYYY-MM-DD` for snapshots. */
  period: string;
  /** How the value was produced, as the collector names it (e.g. `exact` or `fast`). */
  method: string;
  value: number;
  /** Observation date `YYYY-MM-DD` (the run's as-of date). */
  observedAt: string;
  /** The exact query that produced the value, secrets stripped. */
  query: string;
  /** Collector version that produced the value. */
  collectorVersion: string;
  /**
   * What the collapse guard compares this value with, when the query alone would split its series
   * (src/store/drop-guard.ts `sameSeries`): the query without what changes from run to run without changing
   * what is counted, such as the as-of bound of a back-dated query or the commit of a re-uploaded archive.
   * Absent: the query itself.
   */
  seriesKey?: string;
}

/**
 * Whether period `a` is more recent than `b`. Dates and years compare as text; a period that is neither (a
 * series' `undated` block, say) is older than any dated one, though `u` sorts after every digit.
 */
export function isLaterPeriod(a: string, b: string): boolean {
  const aDated = a.charCodeAt(0) >= 48 && a.charCodeAt(0) <= 57;
  const bDated = b.charCodeAt(0) >= 48 && b.charCodeAt(0) <= 57;
  return aDated === bDated ? a > b : aDated;
}

/** An observation as read back from the store. */
export interface StoredObservation extends Observation {
  id: number;
  runId: number;
  /**
   * Set when the value is held back as suspect (it fell by more than half from the last good one and no later
   * run has confirmed it): why. Reports leave such rows out and say so.
   */
  suspect?: string;
  /**
   * The day the value describes, when that is not its observation date: a count of a source that serves only
   * its present state, asked on a later day than the `--as-of` it is stored under. Set by the report from the
   * run that stored it (src/analyze/backdated.ts), never stored.
   */
  countedOn?: string;
}

/**
 * The order of the history (observations.csv): by series, then period, then observation date, then storage
 * order. Text compares by code point, never by locale, so every machine writes the same file (SQLite's BINARY
 * collation in the store, `byCodePoint` in memory).
 */
export const HISTORY_ORDER = ['source', 'metric', 'subject', 'method', 'period', 'observedAt', 'runId', 'id'] as const;

/**
 * One history row as observations.csv lists it: source, metric, subject, period, value, observed_at, run_id, query,
 * method, held_back (`true` when reports leave the value out as a suspect collapse).
 */
export type HistoryRow = [string, string, string, string, number, string, number, string, string, string | boolean];
