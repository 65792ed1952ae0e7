import type { Dialect } from '../driver.js';

/**
 * PostgreSQL's spellings of what the store's SQL needs (driver.ts). Every text column is `COLLATE "C"` (byte
 * order, as SQLite's BINARY): text made in a query from JSON gets it too, so comparisons, recursive steps and
 * the history's order never follow the server's locale.
 */
export const POSTGRES_DIALECT: Dialect = {
  jsonRows: (json, alias) => `jsonb_array_elements(CAST(${json} AS jsonb)) AS ${alias}(value)`,
  jsonTexts: (json, alias) => `jsonb_array_elements_text(CAST(${json} AS jsonb)) AS ${alias}(value)`,
  jsonIntegers: (json, alias) =>
    `(SELECT CAST(e.value AS bigint) AS value FROM jsonb_array_elements_text(CAST(${json} AS jsonb)) AS e(value)) AS ${alias}`,
  text: (expression) => `(${expression}) COLLATE "C"`,
  nextMonth: (day) => `(to_char(date_trunc('month', CAST(${day} AS date)) + interval '1 month', 'YYYY-MM-DD') COLLATE "C")`,
  // An identity column: PostgreSQL has no rowid.
  resolutionOrder: 'seq',
};
