import type { StoredObservation } from '../../core/observation.js';
import { comparisonSnapshots, namesOf, segmentName, subsetSubjects } from '../overlap-snapshot/analyze.js';
import { exactSegments, nonEmptySubsets } from '../overlap-snapshot/inclusion-exclusion.js';
import type { OverlapComparisonSpec } from '../overlap-snapshot/spec.js';
import { fraction } from '../rounding.js';
import { monthIndex, monthIndexOfDate, monthOfIndex } from '../months.js';
import type { MonthlyOverlapSeries } from './spec.js';
import type { MonthlyComparison, MonthlyReport, MonthlyRow, MonthlySkip, MonthlyTrend, SnapshotGap } from './types.js';

/** One subject's histogram as it stood on a date: the latest stored count of each period, by period. */
type Histogram = Map<string, StoredObservation>;

/**
 * The monthly rows of each subject, oldest first. A run stores only the months that changed (collectors store
 * a whole histogram once, then its changes), so the histogram of a date is rebuilt from the latest row of each
 * month observed by then; a database of whole daily histograms rebuilds to the same.
 */
function monthlyRowsBySubject(series: MonthlyOverlapSeries, rows: readonly StoredObservation[]): Map<string, StoredObservation[]> {
  const bySubject = new Map<string, StoredObservation[]>();
  for (const o of rows) {
    if (o.source !== series.source || o.metric !== series.metric || o.method !== series.method) continue;
    const list = bySubject.get(o.subject) ?? [];
    list.push(o);
    bySubject.set(o.subject, list);
  }
  for (const list of bySubject.values())
    list.sort((a, b) => (a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : a.id - b.id));
  return bySubject;
}

/** A subject's histogram as of `date`. */
function histogramAsOf(rows: readonly StoredObservation[] | undefined, date: string): Histogram | undefined {
  if (!rows || rows.length === 0 || rows[0]!.observedAt > date) return undefined;
  const histogram: Histogram = new Map();
  for (const o of rows) {
    if (o.observedAt > date) break;
    histogram.set(o.period, o);
  }
  return histogram;
}

/** The point-in-time totals counted by the histograms' method, by date, then subject. */
type Totals = ReadonlyMap<string, ReadonlyMap<string, number>>;

function totalsOf(series: MonthlyOverlapSeries, rows: readonly StoredObservation[]): Totals {
  const totals = new Map<string, Map<string, number>>();
  for (const o of rows) {
    if (o.source === series.source && o.metric === series.snapshot.metric && o.method === series.method) {
      const day = totals.get(o.observedAt) ?? new Map<string, number>();
      day.set(o.subject, o.value);
      totals.set(o.observedAt, day);
    }
  }
  return totals;
}

/** A usable date's table, or why the date cannot be used. */
type Built = { comparison: MonthlyComparison; rows: StoredObservation[] } | { reason: string };

/**
 * The monthly table of one comparison on one date, from its subsets' histograms: per month, the exclusive
 * segments by inclusion–exclusion, their shares of the month's union and their cumulative counts. A histogram
 * that lacks its undated row, holds a period that is not a month, or does not add up to that day's total is
 * not whole; a negative segment is inconsistent data. Either way the date is not used (never clamped).
 */
function buildDate(
  series: MonthlyOverlapSeries,
  spec: OverlapComparisonSpec,
  date: string,
  bySubject: ReadonlyMap<string, Histogram>,
  totals: Totals,
): Built {
  const n = spec.members.length;
  const full = (1 << n) - 1;
  const subjects = subsetSubjects(spec);
  // Every subset counted that very day, so no histogram of another day is mixed in.
  const counted = totals.get(date);
  const uncounted = [...subjects.values()].filter((s) => !counted?.has(s));
  if (uncounted.length > 0) return { reason: `incomplete: ${uncounted.join(', ')} not counted ${series.method} that day` };
  const missing = [...subjects.values()].filter((s) => !bySubject.get(s)?.has(series.undatedPeriod));
  if (missing.length > 0) return { reason: `incomplete: no monthly counts of ${missing.join(', ')}` };

  const counts = new Map<number, Map<string, number>>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const used: StoredObservation[] = [];
  for (const [mask, subject] of subjects) {
    const histogram = bySubject.get(subject)!;
    const values = new Map<string, number>();
    let sum = 0;
    for (const [period, o] of histogram) {
      if (period !== series.undatedPeriod) {
        const index = monthIndex(period);
        if (index === undefined)
          return { reason: `${subject} has a monthly count for ${JSON.stringify(period)}, which is not a YYYY-MM month` };
        first = Math.min(first, index);
        last = Math.max(last, index);
      }
      values.set(period, o.value);
      sum += o.value;
      used.push(o);
    }
    const total = counted?.get(subject);
    if (total !== undefined && total !== sum) {
      return { reason: `the monthly counts of ${subject} add up to ${sum}, not to the ${total} counted that day` };
    }
    counts.set(mask, values);
  }

  const segmentInfo = nonEmptySubsets(n).map((mask) => ({
    mask,
    frameworks: namesOf(spec, mask),
    segment: segmentName(namesOf(spec, mask), mask === full),
    subject: subjects.get(mask)!,
  }));
  const periods = [series.undatedPeriod];
  for (let index = first; index <= last; index++) periods.push(monthOfIndex(index));
  const running = new Map<number, number>(segmentInfo.map(({ mask }) => [mask, 0]));
  let runningTotal = 0;
  const table: MonthlyRow[] = [];
  for (const period of periods) {
    const countAll = new Map<number, number>();
    for (const mask of subjects.keys()) countAll.set(mask, counts.get(mask)!.get(period) ?? 0);
    const segments = exactSegments(n, countAll);
    const negative = [...segments].filter(([, created]) => created < 0);
    if (negative.length > 0) {
      const what = negative.map(([mask, created]) => `${segmentName(namesOf(spec, mask), mask === full)} = ${created}`);
      const given = [...subjects].map(([mask, subject]) => `${subject}=${countAll.get(mask)}`).join(', ');
      return { reason: `inconsistent counts for ${period} (${given}) give negative segments: ${what.join('; ')}` };
    }
    const total = [...segments.values()].reduce((a, b) => a + b, 0);
    runningTotal += total;
    table.push({
      month: period,
      total,
      cumulative_total: runningTotal,
      segments: segmentInfo.map(({ mask, segment, frameworks, subject }) => {
        const created = segments.get(mask)!;
        running.set(mask, running.get(mask)! + created);
        return {
          segment,
          frameworks: [...frameworks],
          subject,
          created,
          share: total === 0 ? null : fraction(created / total),
          cumulative: running.get(mask)!,
        };
      }),
    });
  }
  const [undated, ...months] = table as [MonthlyRow, ...MonthlyRow[]];
  const lastFull = monthOfIndex(monthIndexOfDate(date) - 1);
  const comparison: MonthlyComparison = {
    comparison: spec.label,
    frameworks: spec.members.map((m) => m.name),
    observed_at: date,
    method: series.method,
    total: runningTotal,
    undated,
    months,
    last_full_month: months.some((m) => m.month === lastFull) ? lastFull : null,
    trend: trendOf(months, lastFull),
    snapshot_gap: [],
  };
  return { comparison, rows: used };
}

/** Each segment's share of the month's new items: the last full month against the same month a year before. */
export function trendOf(months: readonly MonthlyRow[], lastFull: string): MonthlyTrend | null {
  const to = months.find((m) => m.month === lastFull);
  if (!to) return null;
  const fromMonth = monthOfIndex(monthIndex(lastFull)! - 12);
  const from = months.find((m) => m.month === fromMonth);
  return {
    from_month: fromMonth,
    to_month: lastFull,
    segments: to.segments.map((s, i) => ({
      segment: s.segment,
      frameworks: [...s.frameworks],
      from_share: from?.segments[i]?.share ?? null,
      to_share: s.share,
    })),
  };
}

/**
 * The cumulative curve against what was observed: for each month that ended before a stored snapshot (the
 * earliest snapshot of the next month, before the histogram's date), the items counted that day against the
 * items created up to the month's end that are still listed on the histogram's date.
 */
function snapshotGaps(
  series: MonthlyOverlapSeries,
  spec: OverlapComparisonSpec,
  rows: readonly StoredObservation[],
  comparison: MonthlyComparison,
): { gaps: SnapshotGap[]; latestSnapshot: string | undefined } {
  const snapshotSeries = { source: series.source, ...series.snapshot };
  const subjects = new Set(subsetSubjects(spec).values());
  // Years of daily snapshots, of which a gap needs one per month: each date's snapshot is computed only when asked.
  const byDate = new Map<string, StoredObservation[]>();
  for (const o of rows) {
    if (o.source !== series.source || o.metric !== series.snapshot.metric || !subjects.has(o.subject)) continue;
    const list = byDate.get(o.observedAt) ?? [];
    list.push(o);
    byDate.set(o.observedAt, list);
  }
  const dates = [...byDate.keys()].sort();
  const snapshotOn = (date: string) => comparisonSnapshots(snapshotSeries, spec, byDate.get(date)!).snapshots[0];
  const byMonth = new Map(comparison.months.map((m) => [m.month, m]));
  const gaps = new Map<string, SnapshotGap>();
  for (const date of dates) {
    // The histogram's own day says nothing about it: its snapshot is the same listing.
    if (date >= comparison.observed_at) break;
    const month = monthOfIndex(monthIndexOfDate(date) - 1);
    const row = byMonth.get(month);
    if (!row || gaps.has(month)) continue; // oldest first: the first usable snapshot of the next month wins
    const snapshot = snapshotOn(date);
    if (!snapshot) continue;
    gaps.set(month, {
      month,
      observed_on: snapshot.observed_at,
      method: snapshot.method,
      observed: snapshot.total,
      cumulative: row.cumulative_total,
      gap: snapshot.total - row.cumulative_total,
      segments: row.segments.map((s) => {
        const observed = snapshot.segments.find((o) => o.segment === s.segment)?.models ?? 0;
        return { segment: s.segment, frameworks: [...s.frameworks], observed, cumulative: s.cumulative, gap: observed - s.cumulative };
      }),
    });
  }
  let latestSnapshot: string | undefined;
  for (let i = dates.length - 1; i >= 0 && latestSnapshot === undefined; i--) latestSnapshot = snapshotOn(dates[i]!)?.observed_at;
  return { gaps: [...gaps.values()], latestSnapshot };
}

export interface MonthlyAnalysis {
  report: MonthlyReport;
  warnings: string[];
  /** The histograms behind each comparison's table, for provenance. */
  usedRows: StoredObservation[];
}

/** One comparison's latest whole histogram, if any date has one. */
export interface ComparisonHistogram {
  spec: OverlapComparisonSpec;
  built: Extract<Built, { comparison: MonthlyComparison }> | undefined;
  /** Newer dates that stored monthly counts or totals but could not be used, newest first, with why. */
  skipped: MonthlySkip[];
  /** The newest candidate date: the last day that stored monthly counts or a total of one of its subsets. */
  newest: string | undefined;
  /** The newest date on which any of its subsets had a histogram. */
  latestStored: string | undefined;
}

/** The stored subjects of every subset of the series' comparisons. */
export function monthlySubjects(series: MonthlyOverlapSeries): Set<string> {
  return new Set(series.comparisons.flatMap((spec) => [...subsetSubjects(spec).values()]));
}

/**
 * Per comparison, its latest whole histogram: the candidate dates (every day that stored monthly counts or a
 * total of one of its subsets by the histograms' method) newest first, until one gives a table.
 * `rows` must be deduplicated rows observed by the as-of date.
 */
export function latestHistograms(series: MonthlyOverlapSeries, rows: readonly StoredObservation[]): ComparisonHistogram[] {
  const monthly = monthlyRowsBySubject(series, rows);
  const totals = totalsOf(series, rows);
  const datesBySubject = new Map<string, Set<string>>();
  for (const o of rows) {
    if (o.source !== series.source || o.method !== series.method || (o.metric !== series.metric && o.metric !== series.snapshot.metric))
      continue;
    const dates = datesBySubject.get(o.subject) ?? new Set<string>();
    dates.add(o.observedAt);
    datesBySubject.set(o.subject, dates);
  }
  return series.comparisons.map((spec) => {
    const subjects = new Set(subsetSubjects(spec).values());
    const dates = [...new Set([...subjects].flatMap((subject) => [...(datesBySubject.get(subject) ?? [])]))].sort().reverse();
    const skipped: MonthlySkip[] = [];
    let latestStored: string | undefined;
    for (const date of dates) {
      const bySubject = new Map<string, Histogram>();
      for (const subject of subjects) {
        const histogram = histogramAsOf(monthly.get(subject), date);
        if (histogram) bySubject.set(subject, histogram);
      }
      if (bySubject.size === 0) continue;
      latestStored ??= date;
      const result = buildDate(series, spec, date, bySubject, totals);
      if ('reason' in result) {
        skipped.push({ comparison: spec.label, observed_at: date, reason: result.reason });
        continue;
      }
      return { spec, built: result, skipped, newest: dates[0], latestStored };
    }
    return { spec, built: undefined, skipped, newest: dates[0], latestStored };
  });
}

/**
 * Every comparison of the series: its latest whole histogram date (dates are never mixed), the table, the
 * trend and the snapshot gap; histogram dates newer than the one used are listed with why they were not.
 * `rows` must be deduplicated rows observed by the as-of date.
 */
export function analyzeMonthly(series: MonthlyOverlapSeries, rows: readonly StoredObservation[]): MonthlyAnalysis {
  const report: MonthlyReport = { configured_method: series.configuredMethod, comparisons: [], skipped: [], unavailable: null };
  const warnings: string[] = [];
  const usedRows: StoredObservation[] = [];
  const what = `${series.text.label}, ${series.text.unit} created per month`;
  // Why there is no table: the source's own reason (e.g. only fast counts stored), unless nothing of the series is stored at all.
  const subjects = monthlySubjects(series);
  const stored = rows.some(
    (o) => o.source === series.source && (o.metric === series.metric || o.metric === series.snapshot.metric) && subjects.has(o.subject),
  );
  const unavailable = stored ? series.text.unavailable : `run \`adoption-metrics collect --sources ${series.source}\` to store them`;

  for (const { spec, built, skipped, latestStored } of latestHistograms(series, rows)) {
    report.skipped.push(...skipped);
    for (const s of skipped) warnings.push(`${series.source}: ${what}: ${s.comparison} on ${s.observed_at} skipped: ${s.reason}`);
    if (!built) {
      report.skipped.push({ comparison: spec.label, observed_at: null, reason: unavailable });
      continue;
    }
    const { gaps, latestSnapshot } = snapshotGaps(series, spec, rows, built.comparison);
    built.comparison.snapshot_gap = gaps;
    // Later dates that stored months but could not be used are in `skipped`; these stored none at all.
    if (latestSnapshot !== undefined && latestSnapshot > latestStored!) {
      warnings.push(
        `${series.source}: ${what}: ${spec.label} is as of ${built.comparison.observed_at}; the later counts (up to ${latestSnapshot}) stored no monthly counts (${series.text.unavailable})`,
      );
    }
    report.comparisons.push(built.comparison);
    usedRows.push(...built.rows);
  }
  if (report.comparisons.length === 0 && series.comparisons.length > 0) report.unavailable = unavailable;
  return { report, warnings, usedRows };
}
