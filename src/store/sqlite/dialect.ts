import type { Dialect } from '../driver.js';

/** SQLite's spellings of what the store's SQL needs (driver.ts). */
export const SQLITE_DIALECT: Dialect = {
  jsonRows: (json, alias) => `json_each(${json}) AS ${alias}`,
  jsonTexts: (json, alias) => `json_each(${json}) AS ${alias}`,
  jsonIntegers: (json, alias) => `json_each(${json}) AS ${alias}`,
  // Text columns compare with BINARY, byte order, already.
  text: (expression) => expression,
  nextMonth: (day) => `date(${day}, 'start of month', '+1 month')`,
  resolutionOrder: 'rowid',
};
