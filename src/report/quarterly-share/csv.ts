import type { SectionOf } from '../../analyze/report-types.js';
import { percent } from '../../analyze/rounding.js';
import { fixed, toCsv } from '../csv.js';

type Section = SectionOf<'quarterly-share'>;

/** Percent of two counts with 2 decimals, from the counts (not the rounded fraction); empty when not computable. */
const pct = (count: number | null, total: number | null) =>
  count === null || total === null || total === 0 ? null : fixed(percent(count / total));

/** `<files>_by_quarter.csv`: quarter, framework, one count column per unit, one share column per unit, then extras. */
export function quarterlyColumns(section: Section): string[] {
  const units = section.data.units;
  return ['quarter', 'framework', ...units, ...units.map((u) => `share_of_${u}_pct`), 'partial', 'observed_at'];
}

export function quarterlyCsv(section: Section, options: { bom?: boolean } = {}): string {
  const { units, totals, points, observed_at } = section.data;
  const totalOf = new Map(totals.map((t) => [t.quarter, t]));
  const rows = points.map((p) => {
    const total = totalOf.get(p.quarter)!;
    return [
      p.quarter,
      p.framework,
      ...units.map((u) => p.counts[u] ?? null),
      ...units.map((u) => pct(p.counts[u] ?? null, total.counts[u] ?? null)),
      p.partial,
      observed_at,
    ];
  });
  return toCsv(quarterlyColumns(section), rows, options);
}

/** `<files>_comparison_by_quarter.csv`: each comparison member's share of the items with any member. */
export function comparisonColumns(section: Section): string[] {
  const [unit = 'items'] = section.data.units;
  return ['quarter', 'comparison', 'framework', unit, 'share_pct', `${unit}_in_comparison`, 'partial', 'observed_at'];
}

export function comparisonCsv(section: Section, options: { bom?: boolean } = {}): string {
  const { comparisons, observed_at } = section.data;
  const rows = comparisons.flatMap((c) =>
    c.points.map((p) => [p.quarter, c.comparison, p.framework, p.count, pct(p.count, p.union), p.union, p.partial, observed_at]),
  );
  return toCsv(comparisonColumns(section), rows, options);
}
