import type { SectionOf } from '../../analyze/report-types.js';
import type { OverlapComparison } from '../../analyze/overlap-snapshot/types.js';
import { textTable } from '../text-table.js';

const pctOf = (items: number, total: number) => `${((100 * items) / total).toFixed(2)} %`;

/** A comparison's segments, union and availability, the first row the headings: the terminal's and the page's table. */
export function comparisonRows(c: OverlapComparison, unit: string, format: (n: number) => string = String): string[][] {
  return [
    ['segment', unit, 'share'],
    ...c.segments.map((s) => [s.segment, format(s.models), pctOf(s.models, c.total)]),
    ['all (union)', format(c.total), '100.00 %'],
    ...c.availability.map((a) => [`available for ${a.framework}`, format(a.models), pctOf(a.models, c.total)]),
  ];
}

const comparisonTable = (c: OverlapComparison, unit: string): string => textTable(comparisonRows(c, unit), [false, true, true]);

/** Terminal lines of an overlap-snapshot series: each comparison's latest segments. */
export function overlapSummary(section: SectionOf<'overlap-snapshot'>): string[] {
  const { label, unit } = section.series.text;
  const out: string[] = [];
  for (const c of section.data.comparisons) {
    out.push('', `${label}: ${c.comparison}, observed ${c.observed_at} (${c.method} counts)`, comparisonTable(c, unit));
  }
  if (section.data.comparisons.length === 0) out.push('', `${label}: no complete comparison stored`);
  return out;
}
