import { addDays } from '../../core/dates.js';
import type { RowSelection } from '../../core/row-selection.js';
import type { RowsRead } from '../kind-analysis.js';
import { subsetSubjects } from '../overlap-snapshot/analyze.js';
import { keptSnapshotRows } from '../overlap-snapshot/row-need.js';
import { latestHistograms, monthlySubjects } from './analyze.js';
import type { MonthlyOverlapSeries } from './spec.js';

/**
 * How far back from a comparison's newest candidate date the reads reach, in days, when that date gives no
 * table: each wider window is read only when no date in the one before gives one; past the last, everything.
 */
const WINDOWS = [7, 28, 112, 448, 1792] as const;

/**
 * What the monthly analysis reads: each month's latest count, which is the histogram of the newest candidate
 * date, and of the point-in-time totals of the subsets what the snapshot history keeps (the overlap kind's
 * rows: src/analyze/overlap-snapshot/row-need.ts), which hold the first snapshot after each month's end (the
 * observed side of the snapshot gap), the newest snapshot, and the newest day's total (a histogram must add up
 * to its day's total). When a comparison's newest date gives no table, an older one is used, so the months and
 * totals observed in a window back from it are read as well (and the histogram as it stood before the window),
 * widening until a date in the window gives a table: the rows read rebuild every date of the window exactly as
 * the whole history would.
 */
export function monthlyRows(series: MonthlyOverlapSeries, asOf: string, read: RowsRead): RowSelection[] {
  const subjects = [...monthlySubjects(series)];
  if (subjects.length === 0) return [];
  const { source } = series;
  const months = (of: readonly string[]) => ({ source, metrics: [series.metric], subjects: of, methods: [series.method] });
  const totals = (of: readonly string[]) => ({ source, metrics: [series.snapshot.metric], subjects: of, methods: [series.method] });
  const snapshots = { source, metric: series.snapshot.metric, methods: series.snapshot.methods };
  const latest: RowSelection = { take: 'latest', ...months(subjects), to: asOf };
  const kept = series.comparisons.flatMap((spec) => keptSnapshotRows(snapshots, spec, asOf, read, series.method));
  const need: RowSelection[] = [latest, ...kept];
  if (!read.has(latest, ...kept)) return need;
  for (const { spec, built, newest } of latestHistograms(series, read.rows)) {
    const date = built?.comparison.observed_at;
    if (newest === undefined || date === newest) continue;
    const mine = [...new Set(subsetSubjects(spec).values())];
    const days = date === undefined ? undefined : WINDOWS.find((w) => addDays(newest, -w) <= date);
    if (days === undefined) {
      need.push({ take: 'every', ...months(mine), to: asOf }, { take: 'every', ...totals(mine), to: asOf });
      continue;
    }
    const from = addDays(newest, -days);
    need.push(
      { take: 'every', ...months(mine), from, to: asOf },
      { take: 'every', ...totals(mine), from, to: asOf },
      { take: 'latest', ...months(mine), to: addDays(from, -1) },
    );
  }
  return need;
}
