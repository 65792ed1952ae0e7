import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

/** One stored observation, every column, as SQLite returns it. */
export interface StoredRow {
  id: number;
  source: string;
  metric: string;
  subject: string;
  period: string;
  method: string;
  value: number;
  observed_at: string;
  run_id: number;
  query: string;
  collector_version: string;
}

export interface DbSnapshot {
  /** PRAGMA integrity_check: `ok` for an intact file. */
  integrity: string;
  runs: Array<{
    id: number;
    started_at: string;
    finished_at: string | null;
    outcome: string;
    as_of: string;
    data_origin: string;
    notice: string | null;
    errors: string;
  }>;
  collectorRuns: Array<{
    run_id: number;
    collector: string;
    outcome: string;
    stored: number;
    message: string | null;
    finished_at: string | null;
  }>;
  /** Every observation in storage order. */
  observations: StoredRow[];
  /** The stored values without ids, runs or dates of storage, in series order: what two databases with the same data share. */
  values: Array<Pick<StoredRow, 'source' | 'metric' | 'subject' | 'period' | 'method' | 'value' | 'query'>>;
}

/** Everything a test checks in a database, read with a connection of its own (never the tool's code). */
export function readDb(path: string): DbSnapshot {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }) as string,
      runs: db
        .prepare('SELECT id, started_at, finished_at, outcome, as_of, data_origin, notice, errors FROM runs ORDER BY id')
        .all() as DbSnapshot['runs'],
      collectorRuns: db
        .prepare('SELECT run_id, collector, outcome, stored, message, finished_at FROM collector_runs ORDER BY run_id, collector')
        .all() as DbSnapshot['collectorRuns'],
      observations: db.prepare('SELECT * FROM observations ORDER BY id').all() as StoredRow[],
      values: db
        .prepare(
          'SELECT source, metric, subject, period, method, value, query FROM observations ORDER BY source, metric, subject, period, method',
        )
        .all() as DbSnapshot['values'],
    };
  } finally {
    db.close();
  }
}

/** How many observations a database holds; 0 while it does not exist yet (a run that has just started). */
export function countObservations(path: string): number {
  if (!existsSync(path)) return 0;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM observations').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // created but without its tables yet
  }
}
