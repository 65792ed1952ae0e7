import type Database from 'better-sqlite3';
import { latestObservationsView } from '../marks-sql.js';
import { APPLICATION_ID, SCHEMA_VERSION } from '../schema-version.js';
import { SQLITE_DIALECT } from './dialect.js';

/**
 * SQLite schema. Observations are append-only: a run adds rows and never updates or deletes one. The
 * UNIQUE key makes a same-day re-run idempotent (same series, date, query and value → no new row); a
 * different value on the same day is a new row, and readers take the latest run's.
 *
 * Versions: 1 the first; 2 `runs.notice`; 3 the suspect tables (the collapse guard); 4 `observations.series_key`,
 * `suspect_observations.marked_at` and `.cause`, an index of resolutions by mark, and `collector_runs.stored`
 * counted as each batch commits; 5 the view `latest_observations` for dashboards (marks-sql.ts), as on PostgreSQL.
 * A writer brings an older database up to date in one transaction (`migrate`); a newer one is refused.
 */
export { SCHEMA_VERSION };

/** Columns added after the tables were first created, with the version that added them; added (ALTER TABLE) where missing. */
export const ADDED_COLUMNS = [
  { version: 2, table: 'runs', column: 'notice', definition: 'TEXT' },
  // What the collapse guard compares beyond source, metric, subject, method and period (drop-guard.ts
  // seriesKeyOf); NULL when that is the query itself.
  { version: 4, table: 'observations', column: 'series_key', definition: 'TEXT' },
  // When the value was marked (ISO): a repeat confirms it only when independent (drop-guard.ts).
  { version: 4, table: 'suspect_observations', column: 'marked_at', definition: 'TEXT' },
  // 'fall', or 'answer' for a value held back with the rest of an answer in which another value fell.
  { version: 4, table: 'suspect_observations', column: 'cause', definition: "TEXT NOT NULL DEFAULT 'fall'" },
] as const;

/**
 * What a version changes in the rows already stored, run once when a database older than it is opened for
 * writing, after its columns are added.
 */
export const DATA_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 4,
    sql: `
      -- Marks made before marks had times: their run's start.
      UPDATE suspect_observations SET marked_at = (SELECT started_at FROM runs WHERE runs.id = suspect_observations.run_id)
       WHERE marked_at IS NULL;
      -- A collector stopped by a signal or a kill had stored 0 although it had committed rows: its rows of that run.
      UPDATE collector_runs SET stored = (SELECT count(*) FROM observations o
                                           WHERE o.run_id = collector_runs.run_id AND o.source = collector_runs.collector)
       WHERE outcome IN ('running', 'interrupted');
      -- A mark's latest resolution is looked up for every row read once anything is marked.
      CREATE INDEX IF NOT EXISTS suspect_resolutions_observation ON suspect_resolutions (observation_id);`,
  },
  { version: 5, sql: latestObservationsView(SQLITE_DIALECT) },
];

/**
 * Brings a database up to SCHEMA_VERSION in one transaction: the tables as version 3 left them where missing,
 * the columns added since, then the data migration of each version newer than the database (read inside the
 * transaction, so two runs opening it at once migrate it once). A failure leaves the database as it was.
 */
export function migrate(db: Database.Database): void {
  db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from > SCHEMA_VERSION) throw new Error(`schema ${from} is newer than ${SCHEMA_VERSION}`);
    db.exec(SCHEMA_SQL);
    for (const { table, column, definition } of ADDED_COLUMNS) {
      if (!hasColumn(db, table, column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
    }
    for (const { version, sql } of DATA_MIGRATIONS) if (version > from) db.exec(sql);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

export function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>).some((c) => c.name === column);
}

export { APPLICATION_ID };

/** The tables as version 3 left them; later columns are in ADDED_COLUMNS. */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS runs (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at    TEXT    NOT NULL,
  finished_at   TEXT,
  command       TEXT    NOT NULL,
  collectors    TEXT    NOT NULL,
  as_of         TEXT    NOT NULL,
  data_origin   TEXT    NOT NULL,
  outcome       TEXT    NOT NULL DEFAULT 'running',
  errors        TEXT    NOT NULL DEFAULT '[]',
  tool_version  TEXT    NOT NULL,
  pid           INTEGER,
  -- What a reader must know about the data, from the replayed archive's NOTICE (e.g. illustrative numbers).
  notice        TEXT
);

CREATE TABLE IF NOT EXISTS collector_runs (
  run_id       INTEGER NOT NULL REFERENCES runs(id),
  collector    TEXT    NOT NULL,
  started_at   TEXT    NOT NULL,
  finished_at  TEXT,
  outcome      TEXT    NOT NULL DEFAULT 'running',
  stored       INTEGER NOT NULL DEFAULT 0,
  message      TEXT,
  PRIMARY KEY (run_id, collector)
);

CREATE TABLE IF NOT EXISTS observations (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  source             TEXT    NOT NULL,
  metric             TEXT    NOT NULL,
  subject            TEXT    NOT NULL,
  period             TEXT    NOT NULL,
  method             TEXT    NOT NULL,
  value              REAL    NOT NULL,
  observed_at        TEXT    NOT NULL,
  run_id             INTEGER NOT NULL REFERENCES runs(id),
  query              TEXT    NOT NULL,
  collector_version  TEXT    NOT NULL,
  UNIQUE (source, metric, subject, period, method, observed_at, query, value)
);

-- Version 3. A value that fell sharply from the last good one of its series is stored like any other and
-- marked here; reports leave it out until an independent later run confirms it or the operator accepts it. Marks and their
-- resolutions are rows of their own, so observations stay append-only.
CREATE TABLE IF NOT EXISTS suspect_observations (
  observation_id  INTEGER PRIMARY KEY REFERENCES observations(id),
  -- The last good value it fell from.
  previous_id     INTEGER NOT NULL REFERENCES observations(id),
  run_id          INTEGER NOT NULL REFERENCES runs(id),
  reason          TEXT    NOT NULL
);

CREATE TABLE IF NOT EXISTS suspect_resolutions (
  observation_id  INTEGER NOT NULL REFERENCES suspect_observations(observation_id),
  run_id          INTEGER NOT NULL REFERENCES runs(id),
  -- confirmed: a later run saw the same value; accepted: the operator ran with --accept-drops.
  resolution      TEXT    NOT NULL,
  resolved_at     TEXT    NOT NULL
);

-- observations.csv's order (HISTORY_ORDER), so the export streams rows without sorting the whole history
-- first. Lookups by series use the UNIQUE key's index; observations_series (an older index with the same
-- leading columns as that key) only cost space and writes.
DROP INDEX IF EXISTS observations_series;
CREATE INDEX IF NOT EXISTS observations_history
  ON observations (source, metric, subject, method, period, observed_at, run_id);
`;
