import type { SectionOf } from '../../analyze/report-types.js';
import { estimate } from '../../analyze/rounding.js';
import { type Cell, fixed, toCsv } from '../csv.js';
import { firstComparisonShares } from './shares.js';

type Section = SectionOf<'monthly-count'>;

/**
 * `<files>_by_month.csv` (long): `month,framework,<unit>,share_pct,yoy_pct,rolling_12m,partial,days_covered,
 * estimate,<members>,observed_at`, the count and members columns named by the series (`downloads`, `packages`).
 */
export function monthlyCountColumns(section: Section): string[] {
  const { unit, members } = section.series.text;
  return ['month', 'framework', unit, 'share_pct', 'yoy_pct', 'rolling_12m', 'partial', 'days_covered', 'estimate', members, 'observed_at'];
}

const growthPct = (fraction: number | null): Cell => fixed(fraction === null ? null : estimate(fraction * 100));

export function monthlyCountCsv(section: Section, options: { bom?: boolean } = {}): string {
  const { series } = section.data;
  const rows: Cell[][] = [];
  // share_pct: in the first comparison the framework is in.
  const shareOf = firstComparisonShares(section);
  section.data.months.forEach((month, i) => {
    for (const f of series) {
      const p = f.points[i]!;
      rows.push([
        month,
        f.framework,
        p.count,
        fixed(shareOf(f.framework, month)),
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
