import type { RowSelection, RowTake } from '../core/row-selection.js';
import type { Dialect } from './driver.js';

/**
 * The SQL that answers row selections (src/core/row-selection.ts): the one place a report's reads are written.
 *
 * Cost follows the rows answered, not the history: every step is a seek in the index on (source, metric,
 * subject, method, period, observed_at, run_id). The series and periods of a selection are found by walking that
 * index one distinct value at a time (a recursive CTE whose every step is `min(column) > previous`, one seek; with
 * `perMonth`, `min(period) >= the first day of the next month`, one seek a month), and a series' latest row as of
 * a date is one more seek, backwards from the date. `every` scans the index range of each series it names, which
 * holds the rows it answers.
 *
 * The statement takes two parameters: `@lookups`, the selections as a JSON array of lookups (one per selection,
 * metric and subject: see `lookups`), and `@upToId`, the newest observation id a report reads (rows stored
 * later by a concurrent run are not seen, so every read of one report sees one history). One statement for every
 * store: standard SQL with recursive CTEs (one recursive term each), but for the JSON unpacking, the collation of
 * text made from JSON and the month arithmetic, which each database spells its own way (driver.ts Dialect).
 */

/** One row of `@lookups`: [source, metric, subject|null, methods JSON|null, periods JSON|null, from, to, perMonth|null]. */
type Lookup = [string, string, string | null, string | null, string | null, string, string, string | null];

/** The `@lookups` parameter for selections of one take. */
export function lookups(selections: readonly RowSelection[]): string {
  for (const s of selections) {
    if (s.perMonth && (s.take !== 'latest' || s.periods))
      throw new Error('perMonth selects periods: it goes with `latest` and no `periods`');
  }
  const rows: Lookup[] = selections.flatMap((s) =>
    s.metrics.flatMap((metric) =>
      (s.subjects ?? [null]).map(
        (subject): Lookup => [
          s.source,
          metric,
          subject,
          s.methods ? JSON.stringify(s.methods) : null,
          s.periods ? JSON.stringify(s.periods) : null,
          s.from ?? '',
          s.to,
          s.perMonth ?? null,
        ],
      ),
    ),
  );
  return JSON.stringify(rows);
}

/**
 * The ids of the rows answering selections of one take. `good(alias)`: a condition true for a row reports
 * use (not held back), or undefined when no value was ever held back.
 */
export function selectionSql(take: RowTake, good: ((alias: string) => string) | undefined, dialect: Dialect): string {
  const usable = (alias: string) => `${alias}.id <= @upToId${good ? ` AND ${good(alias)}` : ''}`;
  const { text } = dialect;
  // Each step carries its lookup's columns (L) instead of joining back to the lookups, which json_each would rescan.
  const L = 'source, metric, methods, periods, since, until, per_month';
  const carried = (alias: string) =>
    L.split(', ')
      .map((c) => `${alias}.${c}`)
      .join(', ');
  const inSeries = (alias: string, s: string) =>
    `${alias}.source = ${s}.source AND ${alias}.metric = ${s}.metric AND ${alias}.subject = ${s}.subject AND ${alias}.method = ${s}.method`;
  const series = `WITH RECURSIVE
  lookups(${L}, subject) AS (
    SELECT ${text('l.value ->> 0')}, ${text('l.value ->> 1')}, l.value ->> 3, l.value ->> 4, ${text('l.value ->> 5')}, ${text('l.value ->> 6')},
           l.value ->> 7, ${text('l.value ->> 2')}
      FROM ${dialect.jsonRows('@lookups', 'l')}),
  -- The subjects named, or every subject of the metric.
  subjects(${L}, subject, walk) AS (
    SELECT ${carried('l')}, coalesce(l.subject, (SELECT min(o.subject) FROM observations o WHERE o.source = l.source AND o.metric = l.metric)),
           l.subject IS NULL
      FROM lookups l
    UNION ALL
    SELECT ${carried('s')}, (SELECT min(o.subject) FROM observations o WHERE o.source = s.source AND o.metric = s.metric AND o.subject > s.subject), TRUE
      FROM subjects s WHERE s.walk AND s.subject IS NOT NULL),
  -- Every method stored for each subject (one or two), then those named.
  methods(${L}, subject, method) AS (
    SELECT ${carried('s')}, s.subject,
           (SELECT min(o.method) FROM observations o WHERE o.source = s.source AND o.metric = s.metric AND o.subject = s.subject)
      FROM subjects s WHERE s.subject IS NOT NULL
    UNION ALL
    SELECT ${carried('m')}, m.subject,
           (SELECT min(o.method) FROM observations o
             WHERE o.source = m.source AND o.metric = m.metric AND o.subject = m.subject AND o.method > m.method)
      FROM methods m WHERE m.method IS NOT NULL),
  series(${L}, subject, method) AS (
    SELECT * FROM methods m
     WHERE m.method IS NOT NULL AND (m.methods IS NULL OR m.method IN (SELECT n.value FROM ${dialect.jsonTexts('m.methods', 'n')})))`;
  if (take === 'latest') {
    // perMonth: the first period of a month that has a row the selection answers (so a month is never skipped
    // for a first day whose rows are held back or outside the window), from `since` on.
    const answers = (alias: string, s: string) => `${alias}.observed_at BETWEEN ${s}.since AND ${s}.until AND ${usable(alias)}`;
    return `${series},
  -- The periods named, or every period of the series.
  groups(${L}, subject, method, period, walk) AS (
    SELECT ${carried('s')}, s.subject, s.method, ${text('p.value')}, FALSE FROM series s, ${dialect.jsonTexts('s.periods', 'p')} WHERE s.periods IS NOT NULL
    UNION ALL
    SELECT ${carried('s')}, s.subject, s.method, (SELECT min(o.period) FROM observations o WHERE ${inSeries('o', 's')}), TRUE
      FROM series s WHERE s.periods IS NULL AND s.per_month IS NULL
    UNION ALL
    SELECT ${carried('g')}, g.subject, g.method, (SELECT min(o.period) FROM observations o WHERE ${inSeries('o', 'g')} AND o.period > g.period), TRUE
      FROM groups g WHERE g.walk AND g.period IS NOT NULL),
  -- perMonth: the first such period of each month, one seek to the next month's first day at a time.
  months(${L}, subject, method, period) AS (
    SELECT ${carried('s')}, s.subject, s.method, (SELECT min(o.period) FROM observations o WHERE ${inSeries('o', 's')} AND ${answers('o', 's')})
      FROM series s WHERE s.periods IS NULL AND s.per_month = 'first'
    UNION ALL
    SELECT ${carried('m')}, m.subject, m.method,
           (SELECT min(o.period) FROM observations o
             WHERE ${inSeries('o', 'm')} AND o.period >= ${dialect.nextMonth('m.period')} AND ${answers('o', 'm')})
      FROM months m WHERE m.period IS NOT NULL),
  picked(${L}, subject, method, period) AS (
    SELECT ${L}, subject, method, period FROM groups UNION ALL SELECT ${L}, subject, method, period FROM months)
  -- Each group's newest usable row in the window.
  SELECT (SELECT o.id FROM observations o
           WHERE ${inSeries('o', 'g')} AND o.period = g.period AND ${answers('o', 'g')}
           ORDER BY o.observed_at DESC, o.run_id DESC, o.id DESC LIMIT 1) AS id
    FROM picked g WHERE g.period IS NOT NULL`;
  }
  return `${series}
  -- Every usable row of the window, the latest run's of each day.
  SELECT o.id FROM series s JOIN observations o ON ${inSeries('o', 's')}
   WHERE o.observed_at BETWEEN s.since AND s.until AND ${usable('o')}
     AND (s.periods IS NULL OR o.period IN (SELECT p.value FROM ${dialect.jsonTexts('s.periods', 'p')}))
     AND NOT EXISTS (SELECT 1 FROM observations z
                      WHERE ${inSeries('z', 's')} AND z.period = o.period AND z.observed_at = o.observed_at
                        AND (z.run_id > o.run_id OR (z.run_id = o.run_id AND z.id > o.id)) AND ${usable('z')})`;
}
