/**
 * The schema every store holds, at the same version on SQLite (PRAGMA user_version) and PostgreSQL (the
 * `adoption_metrics` table): the tables, their columns and the dashboards' view are the same; a writer brings an
 * older database up to date in one transaction, every opener refuses a newer one. See sqlite/schema.ts and
 * postgres/schema.ts for what each version changed.
 */
export const SCHEMA_VERSION = 5;

/** "ADOP": SQLite's PRAGMA application_id, PostgreSQL's `adoption_metrics.application_id`, and its advisory locks' key. */
export const APPLICATION_ID = 0x41444f50;
