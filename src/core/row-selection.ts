/**
 * Which stored rows an analysis reads, said as data so a store can answer it in SQL (indexed lookups, not a
 * scan of the history into memory): every store answers the same selections the same way. A series kind says
 * what its analysis reads (KindAnalysis.rows); the report reads the union of the answers and nothing else.
 *
 * Every answer holds only rows reports use (held-back values, suspect or contradicted, are left out, as the
 * analysis leaves them out) and, for one series, period and observation date, only the latest run's row (a
 * re-run the same day replaces the first): what the analysis would see of the whole history.
 */
export interface RowSelection {
  /** `latest` or `every`, see RowTake. */
  take: RowTake;
  source: string;
  /** The metrics read (every one of them with every subject below). */
  metrics: readonly string[];
  /** The subjects read; every subject of those metrics when absent. */
  subjects?: readonly string[];
  /** The methods read; every method when absent. */
  methods?: readonly string[];
  /** The periods read; every period when absent. */
  periods?: readonly string[];
  /**
   * With `latest` and no `periods`, for series whose periods are dates (`YYYY-MM-DD`: a snapshot's day): only the
   * first period of each calendar month that has a row this selection answers, so years of daily snapshots are
   * read one a month (the store walks them a month at a time, one index seek each).
   */
  perMonth?: 'first';
  /** `YYYY-MM-DD`: only rows observed on or after this day; from the first when absent. */
  from?: string;
  /** `YYYY-MM-DD`: only rows observed on or before this day (at most the report's as-of date). */
  to: string;
}

/**
 * - `latest`: per series (source, metric, subject, method) and period, the one newest row observed from `from` to
 *   `to` (by observation date, then run, then storage order): the value a report as of `to` shows for it.
 * - `every`: every row observed from `from` to `to`, one per series, period and observation date.
 */
export type RowTake = 'latest' | 'every';

const keys = new WeakMap<RowSelection, string>();

/** The same selection always gives the same key, so a reader asks each once (a report makes thousands: no JSON). */
export function selectionKey(s: RowSelection): string {
  let key = keys.get(s);
  if (key === undefined) {
    const list = (values: readonly string[] | undefined) => (values === undefined ? '\u0002' : values.join('\u0001'));
    key = [
      s.take,
      s.source,
      list(s.metrics),
      list(s.subjects),
      list(s.methods),
      list(s.periods),
      s.perMonth ?? '',
      s.from ?? '\u0002',
      s.to,
    ].join('\u0000');
    keys.set(s, key);
  }
  return key;
}
