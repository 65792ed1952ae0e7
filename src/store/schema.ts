/**
 * SQLite schema. Observations are append-only: a run adds rows and never updates or deletes one. The
 * UNIQUE key makes a same-day re-run idempotent (same series, date, query and value → no new row); a
 * different value on the same day is a new row, and readers take the latest run's.
 */
export const SCHEMA_VERSION = 3;

/** Columns added after version 1, added in place (ALTER TABLE) when an older database is opened for writing. */
export const ADDED_COLUMNS = [{ table: 'runs', column: 'notice', definition: 'TEXT' }] as const;

/** PRAGMA application_id, "ADOP": lets us refuse to write into some other program's database. */
export const APPLICATION_ID = 0x41444f50;

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
-- marked here; reports leave it out until a later run confirms it or the operator accepts it. Marks and their
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
