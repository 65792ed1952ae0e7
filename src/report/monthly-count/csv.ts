import type { SectionOf } from '../../analyze/report-types.js';
import { estimate, percent } from '../../analyze/rounding.js';
import { type Cell, fixed, toCsv } from '../csv.js';

type Section = SectionOf<'monthly-count'>;

/**
 * `<files>_by_month.csv` (long): `month,framework,<unit>,share_pct,yoy_pct,rolling_12m,partial,days_covered,
 * estimate,<members>,observed_at`, the count and members columns named by the series (`downloads`, `packages`).
 */
export function monthlyCountColumns(section: Section): string[] {
  const { unit, members } = section.series.text;
  return ['month', 'framework', unit, 'share_pct', 'yoy_pct', 'rolling_12m', 'partial', 'days_covered', 'estimate', members, 'observed_at'];
}

/** Percent with 2 decimals from the two counts (not the rounded fraction); empty when not computable. */
const sharePct = (count: number | null, total: number | null): Cell =>
  count === null || total === null || total === 0 ? null : fixed(percent(count / total));
const growthPct = (fraction: number | null): Cell => fixed(fraction === null ? null : estimate(fraction * 100));

export function monthlyCountCsv(section: Section, options: { bom?: boolean } = {}): string {
  const { series, comparisons } = section.data;
  const rows: Cell[][] = [];
  // share_pct: in the first comparison the framework is in.
  const firstComparison = new Map<string, Map<string, { count: number | null; total: number | null }>>();
  for (const c of comparisons) {
    for (const framework of c.frameworks) {
      if (firstComparison.has(framework)) continue;
      firstComparison.set(framework, new Map(c.points.filter((p) => p.framework === framework).map((p) => [p.month, p])));
    }
  }
  section.data.months.forEach((month, i) => {
    for (const f of series) {
      const p = f.points[i]!;
      const compared = firstComparison.get(f.framework)?.get(month);
      rows.push([
        month,
        f.framework,
        p.count,
        compared ? sharePct(compared.count, compared.total) : null,
        growthPct(p.yoy),
        p.rolling_12m,
        p.partial,
        p.days_covered,
        p.estimate,
        f.members.join('+'),
        p.observed_at,
      ]);
    }
  });
  return toCsv(monthlyCountColumns(section), rows, options);
}

/** `<files>_by_month_wide.csv`, chart-ready: `month`, then one column per framework with its count. */
export function monthlyCountWideColumns(section: Section): string[] {
  return ['month', ...section.data.series.map((f) => f.framework)];
}

export function monthlyCountWideCsv(section: Section, options: { bom?: boolean } = {}): string {
  const rows = section.data.months.map((month, i): Cell[] => [month, ...section.data.series.map((f) => f.points[i]!.count)]);
  return toCsv(monthlyCountWideColumns(section), rows, options);
}
