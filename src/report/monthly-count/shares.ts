import type { SectionOf } from '../../analyze/report-types.js';
import { sharePercent } from '../../analyze/indicator.js';

type Section = SectionOf<'monthly-count'>;
type Comparison = Section['data']['comparisons'][number];

/**
 * A framework's share of a comparison's count in a month, in percent with 2 decimals, from the two counts (not
 * the rounded fraction report.json holds), so the CSV, the tables, the chart and the scorecard write one number.
 */
export function comparisonShare(comparison: Comparison | undefined, framework: string, month: string): number | null {
  const point = comparison?.points.find((p) => p.framework === framework && p.month === month);
  return point?.count == null || point.total === null ? null : sharePercent(point.count, point.total);
}

/** Each framework's share in the first comparison it is in, per month (percent; the CSV's share_pct). */
export function firstComparisonShares(section: Section): (framework: string, month: string) => number | null {
  const byFramework = new Map<string, Map<string, number | null>>();
  for (const c of section.data.comparisons) {
    for (const framework of c.frameworks) {
      if (byFramework.has(framework)) continue;
      const points = c.points.filter((p) => p.framework === framework);
      byFramework.set(framework, new Map(points.map((p) => [p.month, comparisonShare(c, framework, p.month)])));
    }
  }
  return (framework, month) => byFramework.get(framework)?.get(month) ?? null;
}
