import type { SectionOf } from '../../analyze/report-types.js';
import type { QuarterlyComparison } from '../../analyze/quarterly-share/types.js';
import { textTable } from '../text-table.js';

/** Quarters shown in the terminal; the files have them all. */
const SUMMARY_QUARTERS = 6;

const pct = (count: number | null, total: number | null) =>
  count === null || total === null || total === 0 ? 'n/a' : `${((100 * count) / total).toFixed(2)} %`;

/** The first member's share in the first and the last quarter: the one-line story of the curve. */
function curveLine(c: QuarterlyComparison, partial: string | null): string | undefined {
  const lead = c.frameworks[0];
  const points = c.points.filter((p) => p.framework === lead && p.count !== null && p.union);
  const first = points[0];
  const complete = points.filter((p) => !p.partial);
  const last = complete.at(-1);
  if (!first || !last || first === last) return undefined;
  const tail = points.at(-1)?.partial ? `; ${partial} (partial) ${pct(points.at(-1)!.count, points.at(-1)!.union)}` : '';
  return `  ${lead}'s share of ${c.comparison}: ${first.quarter} ${pct(first.count, first.union)} → ${last.quarter} ${pct(last.count, last.union)}${tail}`;
}

/** Terminal lines of a quarterly-share series: the curve of each comparison, the last quarters, what was left out. */
export function quarterlySummary(section: SectionOf<'quarterly-share'>): string[] {
  const { label, unit } = section.series.text;
  const data = section.data;
  if (data.observed_at === null) return ['', `${label}: none stored yet`];
  const out = ['', `${label} (counted ${data.observed_at}, through ${data.counted_through})`];
  for (const c of data.comparisons) {
    const line = curveLine(c, data.partial_quarter);
    if (line) out.push(line);
  }
  const quarters = data.quarters.slice(-SUMMARY_QUARTERS);
  const [first = 'items'] = data.units;
  const totals = new Map(data.totals.map((t) => [t.quarter, t.counts[first] ?? null]));
  const rows = [
    ['quarter', ...data.frameworks.map((f) => `${f} ${first}`), `all ${first}`],
    ...quarters.map((q) => [
      `${q}${q === data.partial_quarter ? '*' : ''}`,
      ...data.frameworks.map((f) => {
        const p = data.points.find((x) => x.quarter === q && x.framework === f);
        const count = p?.counts[first] ?? null;
        return count === null ? 'n/a' : `${count} (${pct(count, totals.get(q) ?? null)})`;
      }),
      String(totals.get(q) ?? 'n/a'),
    ]),
  ];
  out.push(textTable(rows, [false, ...data.frameworks.map(() => true), true]));
  if (data.partial_quarter !== null && quarters.includes(data.partial_quarter)) {
    out.push(`  * ${data.partial_quarter} is partial: counted through ${data.counted_through}, not extrapolated`);
  }
  const leftOut = data.left_out.filter((l) => l.count > 0);
  if (leftOut.length > 0) {
    const total = leftOut.reduce((sum, l) => sum + l.count, 0);
    out.push(`  ${total} ${unit} left out, no quarter to count them in: ${leftOut.map((l) => `${l.count} ${l.description}`).join('; ')}`);
  }
  return out;
}
