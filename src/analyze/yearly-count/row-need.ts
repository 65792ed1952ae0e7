import type { StoredObservation } from '../../core/observation.js';
import type { RowSelection } from '../../core/row-selection.js';
import type { RowsRead } from '../kind-analysis.js';
import { completenessYears } from './completeness.js';
import { latestCountsByYear, rowsByKeyword } from './rows.js';
import { reportYears, type YearlyCountSeries } from './spec.js';

const observedYear = (o: StoredObservation) => Number(o.observedAt.slice(0, 4));

/** Of the years with a count, those an estimate (and the backtest) of `year` rests on. */
const rested = (year: number, stored: readonly number[]) => {
  const years = completenessYears(year);
  return stored.filter((y) => years.includes(y));
};

/**
 * What the yearly analysis reads. Each keyword's latest count per year and each year's latest total, as of the
 * report date: the points. A count observed before its year ended is estimated from the counts, the total and the
 * completeness data as they stood the day it was observed, so for each such day the latest counts and total as of
 * it, and what the completeness basis reads at it for the years the estimate rests on (completenessYears). The
 * backtest reads the same at the day of the latest estimate (or the basis's latest completeness date) and at the
 * basis's early-year calibration dates.
 */
export function yearlyRows(series: YearlyCountSeries, asOf: string, read: RowsRead): RowSelection[] {
  const keywords = series.keywords.map((k) => k.keyword);
  if (keywords.length === 0) return [];
  const { source, metric, denominator, completeness: basis } = series;
  const counts = (to: string, subjects: readonly string[]): RowSelection => ({ take: 'latest', source, metrics: [metric], subjects, to });
  const totals = (to: string): RowSelection[] =>
    denominator ? [{ take: 'latest', source, metrics: [denominator.metric], subjects: [denominator.subject], to }] : [];
  const need: RowSelection[] = [counts(asOf, keywords), ...totals(asOf)];
  if (!read.has(...need)) return need;
  // The keywords whose counts are read as of each earlier day: one selection per day.
  const countsAt = new Map<string, Set<string>>();
  const countsOn = (date: string, keyword: string) => {
    if (date !== asOf) countsAt.set(date, (countsAt.get(date) ?? new Set()).add(keyword));
  };

  const byKeyword = rowsByKeyword(read.rows, series);
  const years = reportYears(series, asOf);
  let latestPartial: number | undefined;
  const perKeyword = keywords.map((keyword) => {
    const mine = byKeyword.get(keyword)!;
    const latest = latestCountsByYear(mine, metric);
    const stored = [...latest.keys()].sort((a, b) => a - b);
    const partial = new Map<number, StoredObservation>();
    for (const [year, row] of latest) {
      if (!years || year < years.fromYear || year > years.toYear || observedYear(row) > year) continue;
      partial.set(year, row);
      latestPartial = Math.max(latestPartial ?? year, year);
      countsOn(row.observedAt, keyword);
      need.push(...totals(row.observedAt));
      if (basis) need.push(...basis.visibleRows({ source, subject: keyword }, row.observedAt, [row.observedAt], rested(year, stored)));
    }
    return { keyword, mine, stored, partial };
  });
  if (basis) {
    for (const { keyword, mine, stored, partial } of perKeyword) {
      let date = latestPartial === undefined ? undefined : partial.get(latestPartial)?.observedAt;
      if (date === undefined) {
        // No estimate of the latest partial year: the basis's own latest date, once its rows are read.
        const latestDate = basis.latestDateRows({ source, subject: keyword }, asOf, stored);
        need.push(...latestDate);
        if (read.has(...latestDate)) date = basis.latestDate(mine);
      }
      if (date === undefined) continue;
      const year = Number(date.slice(0, 4));
      const ats = [date, ...basis.calibration(year)];
      countsOn(date, keyword);
      need.push(...basis.visibleRows({ source, subject: keyword }, date, ats, rested(year, stored)));
    }
  }
  for (const [date, subjects] of countsAt) need.push(counts(date, [...subjects]));
  return need;
}
