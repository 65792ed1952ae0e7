import type { SectionOf } from '../../analyze/report-types.js';
import { shareIn } from '../../analyze/monthly-count/indicators.js';

type Section = SectionOf<'monthly-count'>;

/** Each framework's share in the first comparison it is in, per month (percent; the CSV's share_pct). */
export function firstComparisonShares(section: Section): (framework: string, month: string) => number | null {
  const byFramework = new Map<string, Map<string, number | null>>();
  for (const c of section.data.comparisons) {
    for (const framework of c.frameworks) {
      if (byFramework.has(framework)) continue;
      const points = c.points.filter((p) => p.framework === framework);
      byFramework.set(framework, new Map(points.map((p) => [p.month, shareIn(c, p.month, framework)])));
    }
  }
  return (framework, month) => byFramework.get(framework)?.get(month) ?? null;
}
