import type { StoredObservation } from '../../core/observation.js';
import type { RowSelection } from '../../core/row-selection.js';
import type { RowsRead } from '../kind-analysis.js';
import { firstDayOf, lastDayOf, monthIndexOfDate } from '../months.js';
import { comparisonSnapshots, subsetSubjects } from './analyze.js';
import { dailyFrom } from './kept-history.js';
import type { OverlapComparisonSpec, OverlapSnapshotSeries } from './spec.js';

/**
 * What the overlap analysis reads: per comparison, the snapshots its history keeps (kept-history.ts), which are
 * also the year-ago comparisons' and the latest figures.
 */
export function overlapRows(series: OverlapSnapshotSeries, asOf: string, read: RowsRead): RowSelection[] {
  return series.comparisons.flatMap((spec) => keptSnapshotRows(series, spec, asOf, read));
}

/** Where a comparison's snapshots are stored and the methods that count them, in order of preference. */
export type SnapshotSeries = Pick<OverlapSnapshotSeries, 'source' | 'metric' | 'methods'>;

/**
 * The rows of the snapshots a history keeps (kept-history.ts) of one comparison, and the rows that say which
 * those are, as of `asOf`; the monthly-overlap kind reads the same for its snapshot gap (the first snapshot
 * after each month's end) and its newest snapshot.
 * - The first date of each month per subset and method (`perMonth`: one index seek a month), whose months tell
 *   where the newest snapshot is; every row from the first day shown daily, which follows from it.
 * - Before that day, per month and method: when every subset's first date counted by it is the same and gives a
 *   usable snapshot, that date is where the method first counts them all, and the month's first usable snapshot
 *   is there or earlier; otherwise (a subset not counted that day, counts that do not add up, a value held back)
 *   the method's rows of the month are read whole. A method that never counts a subset in the month is passed.
 *   So each month's first usable snapshot is found as the whole history finds it.
 * - The month of the newest usable snapshot, when it is older than the days shown daily (every date since could
 *   not be used), so the latest figures are the whole history's too; likewise the month of the newest row counted
 *   by `newestOf`, when given.
 */
export function keptSnapshotRows(
  series: SnapshotSeries,
  spec: OverlapComparisonSpec,
  asOf: string,
  read: RowsRead,
  newestOf?: string,
): RowSelection[] {
  const subjects = [...new Set(subsetSubjects(spec).values())];
  if (subjects.length === 0) return [];
  const { source, metric, methods } = series;
  const stored = { source, metrics: [metric], subjects, methods: [...methods] };
  const firsts: RowSelection = { take: 'latest', ...stored, perMonth: 'first', to: asOf };
  const daily = (newest: string): RowSelection => ({ take: 'every', ...stored, from: dailyFrom(newest), to: asOf });
  // The days shown daily as of the report date, asked at once: the newest snapshot is normally of that month.
  const need = [firsts, daily(asOf)];
  if (!read.has(firsts)) return need;

  const known = storedSnapshots(series, spec, read.rows);
  if (known.newest === undefined) return need;
  const from = dailyFrom(known.newest);
  need.push(daily(known.newest));
  const whole = (date: string, only: readonly string[] = methods): RowSelection => {
    const month = monthIndexOfDate(date);
    return { take: 'every', ...stored, methods: [...only], from: firstDayOf(month), to: lastDayOf(month) };
  };
  for (const [month, byMethod] of known.firstDates) {
    if (`${month}-01` >= from) continue;
    for (const [method, bySubject] of byMethod) {
      if (bySubject.size < subjects.length) continue;
      const dates = new Set(bySubject.values());
      const [date] = dates;
      if (dates.size > 1 || !known.usable.has(date!)) need.push(whole(date!, [method]));
    }
  }
  if (known.latest !== undefined && known.latest < from) need.push(whole(known.latest));
  const counted = newestOf === undefined ? undefined : known.newestOf.get(newestOf);
  if (counted !== undefined && counted < from) need.push(whole(counted, [newestOf!]));
  return need;
}

/** What the rows read so far say about a comparison's stored snapshots. */
interface StoredSnapshots {
  /** The newest date with a count of any subset, in any of the methods. */
  newest: string | undefined;
  /** The newest date counted by each method. */
  newestOf: Map<string, string>;
  /** Per month, method and subset, the first date read (the walk's: the first it stored). */
  firstDates: Map<string, Map<string, Map<string, string>>>;
  /** The dates that give a usable snapshot. */
  usable: Set<string>;
  /** The newest of those. */
  latest: string | undefined;
}

/** Per rows read (each read's array is new): the overlap and the monthly kind ask the same of one comparison. */
const storedCache = new WeakMap<readonly StoredObservation[], Map<string, StoredSnapshots>>();

function storedSnapshots(series: SnapshotSeries, spec: OverlapComparisonSpec, rows: readonly StoredObservation[]): StoredSnapshots {
  const { source, metric, methods } = series;
  const byRows = storedCache.get(rows) ?? new Map<string, StoredSnapshots>();
  storedCache.set(rows, byRows);
  const subjects = new Set(subsetSubjects(spec).values());
  const key = [source, metric, methods.join('\u0001'), spec.label, [...subjects].join('\u0001')].join('\u0000');
  const cached = byRows.get(key);
  if (cached) return cached;
  const mine = rows.filter((o) => o.source === source && o.metric === metric && subjects.has(o.subject) && methods.includes(o.method));
  const known: StoredSnapshots = { newest: undefined, newestOf: new Map(), firstDates: new Map(), usable: new Set(), latest: undefined };
  for (const o of mine) {
    if (known.newest === undefined || o.observedAt > known.newest) known.newest = o.observedAt;
    if ((known.newestOf.get(o.method) ?? '') < o.observedAt) known.newestOf.set(o.method, o.observedAt);
    const month = o.observedAt.slice(0, 7);
    const byMethod = known.firstDates.get(month) ?? new Map<string, Map<string, string>>();
    known.firstDates.set(month, byMethod);
    const bySubject = byMethod.get(o.method) ?? new Map<string, string>();
    byMethod.set(o.method, bySubject);
    if ((bySubject.get(o.subject) ?? '9999') > o.observedAt) bySubject.set(o.subject, o.observedAt);
  }
  const { snapshots } = comparisonSnapshots(series, spec, mine);
  for (const snapshot of snapshots) known.usable.add(snapshot.observed_at);
  known.latest = snapshots.at(-1)?.observed_at;
  byRows.set(key, known);
  return known;
}
