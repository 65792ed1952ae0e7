import type { StoredObservation } from '../../core/observation.js';
import { share } from '../rounding.js';
import { isQuarter, quarterEnd, quarterOfDate } from './quarters.js';
import { quarterlyMetrics } from './row-need.js';
import type { QuarterlyShareSeries } from './spec.js';
import type { QuarterlyComparison, QuarterlyPoint, QuarterlyReport, QuarterlyTotal } from './types.js';

export interface QuarterlyAnalysis {
  report: QuarterlyReport;
  warnings: string[];
  /** The rows behind the figures (the snapshot shown), for provenance. */
  usedRows: StoredObservation[];
}

/**
 * How far a snapshot counts: through the day it bounds (the as-of date, or the snapshot's own observation date
 * when that is earlier), or the day the data ends when that comes first. Its quarter is partial unless that day
 * is the quarter's last; items dated by month only are counted for that day's whole month.
 */
function countedBound(series: QuarterlyShareSeries, bound: string) {
  const through = series.dataEnd !== undefined && series.dataEnd < bound ? series.dataEnd : bound;
  const lastQuarter = quarterOfDate(through);
  const partialQuarter = through < quarterEnd(lastQuarter) ? lastQuarter : null;
  const countedThrough = series.datedByMonth !== undefined && through === bound ? `the whole of ${through.slice(0, 7)}` : through;
  return { through, countedThrough, lastQuarter, partialQuarter };
}

/**
 * The latest snapshot of the series observed by the as-of date: every count stored on that observation date,
 * so numerators and denominators always come from the same run. Quarters after the one counted through are
 * left out; that quarter is marked partial unless counted to its last day.
 * `rows` must be deduplicated rows observed by the as-of date.
 */
export function analyzeQuarterly(series: QuarterlyShareSeries, rows: readonly StoredObservation[], asOf: string): QuarterlyAnalysis {
  const [first] = series.units;
  const metrics = new Set(quarterlyMetrics(series));
  const mine = rows.filter((o) => o.source === series.source && o.method === series.method && metrics.has(o.metric));
  const snapshots = mine.filter((o) => first !== undefined && o.metric === first.totalMetric).map((o) => o.observedAt);
  const observedAt = [...snapshots].sort().at(-1);
  // A snapshot counted what was there on its day: a report of a later date must not take its last quarter as whole.
  const { through, countedThrough, lastQuarter, partialQuarter } = countedBound(
    series,
    observedAt !== undefined && observedAt < asOf ? observedAt : asOf,
  );
  const empty: QuarterlyReport = {
    observed_at: null,
    through,
    counted_through: countedThrough,
    partial_quarter: partialQuarter,
    quarters: [],
    frameworks: [...series.frameworks],
    units: series.units.map((u) => u.name),
    totals: [],
    points: [],
    comparisons: series.comparisons.map((c) => ({ comparison: c.label, frameworks: [...c.members], points: [] })),
    left_out: [],
  };
  if (observedAt === undefined) {
    return {
      report: empty,
      warnings: [
        `${series.source}: no ${series.text.unit} counts are stored yet; run \`adoption-metrics collect --sources ${series.source}\``,
      ],
      usedRows: [],
    };
  }
  const snapshot = mine.filter((o) => o.observedAt === observedAt);
  const value = new Map(snapshot.map((o) => [`${o.metric}\u0000${o.subject}\u0000${o.period}`, o.value]));
  const get = (metric: string, subject: string, quarter: string) => value.get(`${metric}\u0000${subject}\u0000${quarter}`) ?? null;

  const quarters = [...new Set(snapshot.filter((o) => o.metric === first!.totalMetric && isQuarter(o.period)).map((o) => o.period))]
    .filter((q) => q <= lastQuarter)
    .sort();
  const partial = (q: string) => q === partialQuarter;

  const totals: QuarterlyTotal[] = quarters.map((quarter) => ({
    quarter,
    counts: Object.fromEntries(series.units.map((u) => [u.name, get(u.totalMetric, series.totalSubject, quarter)])),
    partial: partial(quarter),
  }));
  const points: QuarterlyPoint[] = quarters.flatMap((quarter, i) =>
    series.frameworks.map((framework) => {
      const counts = Object.fromEntries(series.units.map((u) => [u.name, get(u.metric, framework, quarter)]));
      const shares = Object.fromEntries(series.units.map((u) => [u.name, share(counts[u.name]!, totals[i]!.counts[u.name]!)]));
      return { quarter, framework, counts, shares, partial: partial(quarter) };
    }),
  );
  const comparisons: QuarterlyComparison[] = series.comparisons.map((c) => ({
    comparison: c.label,
    frameworks: [...c.members],
    points: quarters.flatMap((quarter) => {
      const union = get(c.unionMetric, c.unionSubject, quarter);
      return c.members.map((framework) => {
        const count = get(first!.metric, framework, quarter);
        return { quarter, framework, count, union, share: share(count, union), partial: partial(quarter) };
      });
    }),
  }));
  const leftOut = series.leftOut;
  const left_out = leftOut
    ? snapshot
        .filter((o) => o.metric === leftOut.metric)
        .sort((a, b) => a.subject.localeCompare(b.subject))
        .map((o) => ({ reason: o.subject, description: leftOut.reasons[o.subject] ?? o.subject, count: o.value }))
    : [];

  const warnings: string[] = [];
  const later = new Set(snapshot.filter((o) => isQuarter(o.period) && o.period > lastQuarter).map((o) => o.period));
  if (later.size > 0) {
    warnings.push(
      `${series.source}: ${later.size} quarter(s) after ${lastQuarter} are stored but not reported, since the report counts through ${countedThrough}`,
    );
  }
  const usedRows = snapshot.filter((o) => !isQuarter(o.period) || o.period <= lastQuarter);
  return {
    report: { ...empty, observed_at: observedAt, quarters, totals, points, comparisons, left_out },
    warnings,
    usedRows,
  };
}
