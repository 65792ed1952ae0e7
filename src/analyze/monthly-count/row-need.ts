import { addDays } from '../../core/dates.js';
import type { RowSelection } from '../../core/row-selection.js';
import type { RowsRead } from '../kind-analysis.js';
import { daysInMonthIndex, firstDayOf, lastDayOf, monthIndexOfDate, monthOfIndex } from '../months.js';
import { dataEnd, latestDailyRow, storedRows } from './analyze.js';
import { PARTIAL_MONTH_RULE } from './estimate.js';
import type { MonthlyCountSeries } from './spec.js';

/**
 * What the monthly-count analysis reads: each framework's latest count and days covered of every month as of the
 * report date (it keeps the latest of each period and nothing else), so the year before and the month a year
 * before are among them; then, when the data ends in a partial month, the daily counts its estimate's backtest
 * reads (the same first days of each of the 12 complete months before) and those of the partial month itself
 * (the provenance: the latest daily count). Not every day ever stored: a daily run adds one, and years of them
 * are no part of any figure.
 */
export function monthlyCountRows(series: MonthlyCountSeries, asOf: string, read: RowsRead): RowSelection[] {
  if (series.frameworks.length === 0) return [];
  const subjects = series.frameworks.map((f) => f.name);
  const stored = { source: series.source, subjects, methods: [series.method], to: asOf };
  const months: RowSelection = { take: 'latest', ...stored, metrics: [series.metric, series.daysMetric] };
  if (!read.has(months)) return [months];
  const rows = storedRows(series, read.rows, asOf);
  const through = dataEnd(series, rows);
  if (through === undefined) return [months];
  const partialIndex = monthIndexOfDate(through);
  if (through === lastDayOf(partialIndex)) return [months];
  const daysCovered = Number(through.slice(8, 10));
  // A framework counted through another day than the latest data gets no estimate (analyze.ts): nothing to read.
  const label = monthOfIndex(partialIndex);
  const estimated = subjects.filter((name) => {
    const s = rows.get(name)!;
    return s.counts.get(label) === undefined || s.days.get(label)?.value === daysCovered;
  });
  if (estimated.length === 0) return [months];
  const periods: string[] = [];
  for (let month = partialIndex - PARTIAL_MONTH_RULE.months; month <= partialIndex; month++) {
    const first = firstDayOf(month);
    for (let d = 0; d < Math.min(daysCovered, daysInMonthIndex(month)); d++) periods.push(addDays(first, d));
  }
  const daily = (of: readonly string[], days: readonly string[]): RowSelection => ({
    take: 'latest',
    ...stored,
    subjects: of,
    metrics: [series.dailyMetric],
    periods: days,
  });
  const need = [months, daily(estimated, periods)];
  if (!read.has(need[1]!)) return need;
  // A framework none of whose days of the partial month is stored: its latest daily count is an earlier day.
  const whole: string[] = [];
  for (let day = firstDayOf(partialIndex - PARTIAL_MONTH_RULE.months); day <= through; day = addDays(day, 1)) whole.push(day);
  for (const name of estimated) {
    const latest = latestDailyRow(rows.get(name)!, partialIndex, through);
    if (latest === undefined || !latest.period.startsWith(label)) need.push(daily([name], whole));
  }
  return need;
}
