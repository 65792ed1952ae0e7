import type { Dialect } from './driver.js';

/**
 * The collapse guard's marks (drop-guard.ts) as every store reads them in SQL: one spelling for the store's
 * reads, the report's row selections and the dashboards' view, on every database.
 */

/**
 * The mark of observation `alias.id`: NULL (not marked), `suspect` (pending), or its latest resolution
 * (`confirmed`, `accepted`, `contradicted`).
 */
export function markState(dialect: Dialect, alias: string): string {
  return `(SELECT coalesce((SELECT r.resolution FROM suspect_resolutions r WHERE r.observation_id = ${alias}.id
                       ORDER BY r.${dialect.resolutionOrder} DESC LIMIT 1), 'suspect')
                     FROM suspect_observations m WHERE m.observation_id = ${alias}.id)`;
}

/** A row reports use: never marked, or marked and then confirmed or accepted (drop-guard.ts isGoodState). */
export function usableRow(dialect: Dialect, alias: string): string {
  return `coalesce(${markState(dialect, alias)}, 'unmarked') NOT IN ('suspect', 'contradicted')`;
}

/**
 * The read-only view for dashboards (schema 5, both stores): one row per series (source, metric, subject, method)
 * and period, its newest stored value that reports use (by observation date, then run, then storage order; held-back
 * values left out), what a report as of today starts from. Dropped and made again by the migration of any
 * version that changes it.
 */
export function latestObservationsView(dialect: Dialect): string {
  return `DROP VIEW IF EXISTS latest_observations;
CREATE VIEW latest_observations AS
SELECT source, metric, subject, method, period, value, observed_at, run_id, query, collector_version, id AS observation_id
  FROM (SELECT o.*, row_number() OVER (PARTITION BY o.source, o.metric, o.subject, o.method, o.period
                                       ORDER BY o.observed_at DESC, o.run_id DESC, o.id DESC) AS newest
          FROM observations o
         WHERE ${usableRow(dialect, 'o')}) AS usable
 WHERE newest = 1;`;
}
