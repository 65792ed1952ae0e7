import { HISTORY_ORDER, type HistoryRow, type StoredObservation } from '../core/observation.js';
import type { Stringifier } from 'csv-stringify';
import { csvStringifier, toCsv } from './csv.js';

/**
 * observations.csv, one row per stored observation (tidy/long): in a report folder the rows the report was
 * computed from, and in `adoption-metrics export` the whole history, in the same columns. `method` is appended
 * after the agreed columns because two counting methods of one series (exact and fast, say) otherwise look like
 * duplicates; `held_back` after it, true for a value reports leave out as a suspect collapse.
 */
export const OBSERVATION_COLUMNS = [
  'source',
  'metric',
  'subject',
  'period',
  'value',
  'observed_at',
  'run_id',
  'query',
  'method',
  'held_back',
] as const;

/** observations.csv from observations in any order. */
export function observationsCsv(observations: readonly StoredObservation[], options: { bom?: boolean } = {}): string {
  return historyCsv(inHistoryOrder(observations).map(historyRow), options);
}

/** The text fields HISTORY_ORDER sorts by, in its order (then run and id, numbers). */
const SORTED_TEXT = HISTORY_ORDER.slice(0, 6) as readonly Exclude<(typeof HISTORY_ORDER)[number], 'runId' | 'id'>[];

/**
 * Observations in HISTORY_ORDER. JavaScript's `<` on strings is code-point order unless a string holds a
 * surrogate pair or a character from U+D800 up, so text without those is sorted by one joined key per row (a
 * tenth of the time of comparing field by field, which a report's ten thousand rows notice); the rest by
 * `compareHistory`.
 */
function inHistoryOrder(observations: readonly StoredObservation[]): StoredObservation[] {
  const plain = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit === 0 || unit >= 0xd800) return false;
    }
    return true;
  };
  if (!observations.every((o) => SORTED_TEXT.every((field) => plain(o[field])))) return [...observations].sort(compareHistory);
  const keyed = observations.map((o) => ({ o, key: SORTED_TEXT.map((field) => o[field]).join('\u0000') }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.o.runId - b.o.runId || a.o.id - b.o.id));
  return keyed.map((k) => k.o);
}

/** observations.csv from rows already in HISTORY_ORDER (the store's `historyRows`), consumed one at a time. */
export function historyCsv(rows: Iterable<HistoryRow>, options: { bom?: boolean } = {}): string {
  return toCsv(OBSERVATION_COLUMNS, rows, options);
}

/** observations.csv as a stream: write `HistoryRow`s in HISTORY_ORDER, read the same bytes as `historyCsv`. */
export function historyCsvStream(options: { bom?: boolean } = {}): Stringifier {
  return csvStringifier(OBSERVATION_COLUMNS, options);
}

export function historyRow(o: StoredObservation): HistoryRow {
  return [o.source, o.metric, o.subject, o.period, o.value, o.observedAt, o.runId, o.query, o.method, o.suspect !== undefined];
}

function compareHistory(a: StoredObservation, b: StoredObservation): number {
  for (const key of HISTORY_ORDER) {
    const x = a[key];
    const y = b[key];
    if (x !== y) return typeof x === 'number' ? x - (y as number) : byCodePoint(x, y as string);
  }
  return 0;
}

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;

/**
 * Code-point order, as SQLite's BINARY collation sorts UTF-8, so this file and the store's `historyRows`
 * agree. JavaScript's `<` compares UTF-16 units instead, which puts 🤗 (a surrogate pair) before Ａ (U+FF21).
 */
export function byCodePoint(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate starts a code point above U+FFFF: above every unit that is not one.
    if (isSurrogate(x) !== isSurrogate(y)) return isSurrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
