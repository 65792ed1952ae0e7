import type { StoredObservation } from '../../core/observation.js';
import { yoyGrowth } from '../growth.js';
import { daysInMonthIndex, lastDayOf, monthIndex, monthIndexOfDate, monthOfIndex } from '../months.js';
import { fraction, share } from '../rounding.js';
import { partialMonthEstimate } from './estimate.js';
import type { MonthlyCountSeries } from './spec.js';
import type {
  MonthlyCountComparison,
  MonthlyCountFramework,
  MonthlyCountPoint,
  MonthlyCountReport,
  PartialMonthEstimate,
  PartialMonthFramework,
} from './types.js';
import { PARTIAL_MONTH_RULE } from './estimate.js';
import { laterRow } from '../select-observations.js';

export interface MonthlyCountAnalysis {
  report: MonthlyCountReport;
  warnings: string[];
  /**
   * The rows behind the figures' provenance: per framework the latest month's count and days and the latest daily
   * count read, the rows whose queries report.json's `queries` lists (one per series, its latest period's).
   */
  usedRows: StoredObservation[];
}

/** A framework's stored rows, latest per period. */
export interface Stored {
  counts: Map<string, StoredObservation>;
  days: Map<string, StoredObservation>;
  daily: Map<string, StoredObservation>;
}

/** Months of the range named in a warning at most. */
const NAMED_MONTHS = 4;

/**
 * Counts per month per framework from the latest stored value of each month (incremental runs re-count only the
 * months still filling, so months come from different runs), through the last day the data covers: the month
 * holding it is partial unless that day is its last, and later months are not reported. `rows` must be
 * deduplicated rows observed by the as-of date.
 */
export function analyzeMonthlyCount(series: MonthlyCountSeries, rows: readonly StoredObservation[], asOf: string): MonthlyCountAnalysis {
  const stored = storedRows(series, rows, asOf);
  const fromIndex = monthIndex(series.fromMonth)!;
  const empty: MonthlyCountReport = {
    from_month: series.fromMonth,
    to_month: null,
    through: null,
    partial_month: null,
    last_full_month: null,
    observed_at: null,
    frameworks: series.frameworks.map((f) => f.name),
    months: [],
    series: [],
    comparisons: series.comparisons.map((c) => ({ comparison: c.label, frameworks: [...c.members], points: [] })),
    estimate: null,
  };

  const through = dataEnd(series, stored);
  if (through === undefined) {
    return {
      report: empty,
      warnings: [
        `${series.source}: no ${series.text.unit} counts are stored yet; run \`adoption-metrics collect --sources ${series.source}\``,
      ],
      usedRows: [],
    };
  }
  const toIndex = monthIndexOfDate(through);
  const partialIndex = through < lastDayOf(toIndex) ? toIndex : undefined;
  const daysCovered = Number(through.slice(8, 10));
  const months: string[] = [];
  for (let i = fromIndex; i <= toIndex; i++) months.push(monthOfIndex(i));

  const warnings: string[] = [];
  const usedRows: StoredObservation[] = [];
  const frameworks: MonthlyCountFramework[] = series.frameworks.map((f) => {
    const s = stored.get(f.name)!;
    const points = months.map((month, i): MonthlyCountPoint => {
      const index = fromIndex + i;
      const row = s.counts.get(month);
      const daysRow = s.days.get(month);
      const inMonth = daysInMonthIndex(index);
      // A count stored without its days is complete unless it is the month the data ends in.
      const covered = row === undefined ? null : (daysRow?.value ?? (index < toIndex ? inMonth : null));
      return {
        month,
        count: row?.value ?? null,
        partial: row !== undefined && (covered === null || covered < inMonth),
        days_covered: covered,
        days_in_month: inMonth,
        estimate: null,
        share: null,
        yoy: null,
        rolling_12m: null,
        observed_at: row?.observedAt ?? null,
      };
    });
    const lastStored = [...points].reverse().find((p) => p.count !== null)?.month;
    for (const row of [s.counts.get(lastStored ?? ''), s.days.get(lastStored ?? '')]) if (row) usedRows.push(row);
    const missing = points.filter((p) => p.count === null).map((p) => p.month);
    if (missing.length === months.length) {
      warnings.push(`${series.source}: no ${series.text.unit} of ${f.name} are stored for ${months[0]}–${months.at(-1)}`);
    } else if (missing.length > 0) {
      const named =
        missing.slice(0, NAMED_MONTHS).join(', ') + (missing.length > NAMED_MONTHS ? `, and ${missing.length - NAMED_MONTHS} more` : '');
      warnings.push(
        `${series.source}: ${missing.length} month(s) of ${f.name} are not stored (${named}), so they are missing, not 0; run \`adoption-metrics collect --sources ${series.source} --full\``,
      );
    }
    const observed = points.map((p) => p.observed_at).filter((d): d is string => d !== null);
    return {
      framework: f.name,
      members: [...f.members],
      data_starts: points.find((p) => p.count !== null && p.count > 0)?.month ?? null,
      observed_at: observed.length > 0 ? observed.sort().at(-1)! : null,
      points,
      missing_months: missing,
    };
  });
  const byName = new Map(frameworks.map((f) => [f.framework, f]));
  const pointOf = (framework: string, month: number) => byName.get(framework)?.points[month - fromIndex];

  const comparisons: MonthlyCountComparison[] = series.comparisons.map((c) => ({
    comparison: c.label,
    frameworks: [...c.members],
    points: months.flatMap((month, i) => {
      const members = c.members.map((m) => pointOf(m, fromIndex + i));
      // Counts of different spans (a member a run behind) are not comparable.
      const spans = new Set(members.map((p) => p?.days_covered));
      const counts = members.map((p) => p?.count ?? null);
      const total = counts.some((n) => n === null) || spans.size !== 1 ? null : counts.reduce<number>((sum, n) => sum + n!, 0);
      return c.members.map((framework, j) => ({
        month,
        framework,
        count: counts[j]!,
        total,
        share: share(counts[j]!, total),
        partial: members[j]?.partial ?? false,
      }));
    }),
  }));
  // Each framework's share_pct: of the first comparison it is in.
  for (const f of frameworks) {
    const comparison = comparisons.find((c) => c.frameworks.includes(f.framework));
    if (!comparison) continue;
    const shares = new Map(comparison.points.filter((p) => p.framework === f.framework).map((p) => [p.month, p.share]));
    for (const p of f.points) p.share = shares.get(p.month) ?? null;
  }

  let estimate: PartialMonthEstimate | null = null;
  if (partialIndex !== undefined) {
    const decisions = series.frameworks.map((f): PartialMonthFramework => {
      const s = stored.get(f.name)!;
      const point = pointOf(f.name, partialIndex)!;
      if (point.count !== null && point.days_covered !== daysCovered) {
        return {
          framework: f.name,
          raw: point.count,
          estimate: null,
          method: 'withheld',
          withheld_reason: `${f.name} is counted through day ${point.days_covered ?? '?'} of ${point.month}, not ${daysCovered} like the latest data`,
          mape: null,
          backtest: [],
        };
      }
      const decision = partialMonthEstimate({
        framework: f.name,
        month: partialIndex,
        daysCovered,
        raw: point.count,
        unit: series.text.unit,
        final: (month) => {
          const label = monthOfIndex(month);
          const row = s.counts.get(label);
          const days = s.days.get(label)?.value ?? daysInMonthIndex(month);
          return row && days === daysInMonthIndex(month) ? row.value : null;
        },
        day: (date) => s.daily.get(date)?.value,
      });
      // Provenance lists one query per series, its latest period's: the latest daily count the backtest could read.
      const latestDay = latestDailyRow(s, partialIndex, through);
      if (latestDay) usedRows.push(latestDay);
      point.estimate = decision.estimate;
      return decision;
    });
    estimate = {
      month: monthOfIndex(partialIndex),
      days_covered: daysCovered,
      days_in_month: daysInMonthIndex(partialIndex),
      factor: fraction(daysInMonthIndex(partialIndex) / daysCovered),
      max_error_pct: PARTIAL_MONTH_RULE.maxErrorPct,
      months_needed: PARTIAL_MONTH_RULE.months,
      frameworks: decisions,
    };
  }

  for (const f of frameworks) {
    f.points.forEach((p, i) => {
      const yearBefore = f.points[i - 12];
      const value = p.partial ? p.estimate : p.count;
      const base = yearBefore && !yearBefore.partial ? yearBefore.count : null;
      const growth = yoyGrowth(base, value);
      p.yoy = growth === undefined ? null : fraction(growth);
      const window = f.points.slice(i - 11, i + 1);
      p.rolling_12m = i >= 11 && window.every((w) => w.count !== null && !w.partial) ? window.reduce((sum, w) => sum + w.count!, 0) : null;
    });
  }

  const observed = frameworks.map((f) => f.observed_at).filter((d): d is string => d !== null);
  return {
    report: {
      ...empty,
      to_month: monthOfIndex(toIndex),
      through,
      partial_month: partialIndex === undefined ? null : monthOfIndex(partialIndex),
      last_full_month: monthOfIndex(partialIndex === undefined ? toIndex : toIndex - 1),
      observed_at: observed.sort().at(-1) ?? null,
      months,
      series: frameworks,
      comparisons,
      estimate,
    },
    warnings,
    usedRows,
  };
}

/**
 * The last day the data covers (`YYYY-MM-DD`): each framework's latest month and the days its count covers, the
 * latest of them; undefined when no month is stored.
 */
export function dataEnd(series: MonthlyCountSeries, stored: ReadonlyMap<string, Stored>): string | undefined {
  const fromIndex = monthIndex(series.fromMonth)!;
  let through: string | undefined;
  for (const f of series.frameworks) {
    const s = stored.get(f.name)!;
    let latest: string | undefined;
    for (const m of s.counts.keys()) if (monthIndex(m)! >= fromIndex && (latest === undefined || m > latest)) latest = m;
    if (latest === undefined) continue;
    const days = s.days.get(latest)?.value ?? daysInMonthIndex(monthIndex(latest)!);
    const last = `${latest}-${String(days).padStart(2, '0')}`;
    if (through === undefined || last > through) through = last;
  }
  return through;
}

/** The newest daily count from the first month the backtest looks at through the data's last day: the provenance. */
export function latestDailyRow(s: Stored, partialIndex: number, through: string): StoredObservation | undefined {
  const first = monthOfIndex(partialIndex - PARTIAL_MONTH_RULE.months);
  let latestDay: StoredObservation | undefined;
  for (const [date, row] of s.daily) if (date >= first && date <= through && (!latestDay || date > latestDay.period)) latestDay = row;
  return latestDay;
}

/** The series' rows per framework, the latest of each period, months up to the as-of month. */
export function storedRows(series: MonthlyCountSeries, rows: readonly StoredObservation[], asOf: string): Map<string, Stored> {
  const out = new Map<string, Stored>(series.frameworks.map((f) => [f.name, { counts: new Map(), days: new Map(), daily: new Map() }]));
  const lastMonth = asOf.slice(0, 7);
  // One pass, keyed by period within each framework and metric: the daily counts make most of the rows.
  for (const o of rows) {
    if (o.source !== series.source || o.method !== series.method) continue;
    const s = out.get(o.subject);
    if (!s) continue;
    let into: Map<string, StoredObservation>;
    if (o.metric === series.dailyMetric) {
      if (o.period.length !== 10 || o.period > asOf) continue;
      into = s.daily;
    } else if (o.metric === series.metric || o.metric === series.daysMetric) {
      // `YYYY-MM`: the months of the range are picked by label later, so a cheap shape check is enough here.
      if (o.period.length !== 7 || o.period > lastMonth) continue;
      into = o.metric === series.metric ? s.counts : s.days;
    } else continue;
    const seen = into.get(o.period);
    if (!seen || laterRow(o, seen)) into.set(o.period, o);
  }
  return out;
}
