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
  return `${lead}'s share of ${c.comparison}: ${first.quarter} ${pct(first.count, first.union)} → ${last.quarter} ${pct(last.count, last.union)}${tail}`;
}

/** Terminal lines of a quarterly-share series: the curve of each comparison, the last quarters, what was left out. */
export function quarterlySummary(section: SectionOf<'quarterly-share'>): string[] {
  const { label } = section.series.text;
  const data = section.data;
  if (data.observed_at === null) return ['', `${label}: none stored yet`];
  const out = ['', `${label} (counted ${data.observed_at}, through ${data.counted_through})`];
  out.push(...curveLines(section).map((line) => `  ${line}`));
  out.push(textTable(quarterRows(section), [false, ...data.frameworks.map(() => true), true]));
  out.push(...quarterlyNotes(section).map((line) => `  ${line}`));
  return out;
}

const orNa = (n: number | null, format: (n: number) => string) => (n === null ? 'n/a' : format(n));

/** Each comparison's curve in one line. */
export function curveLines(section: SectionOf<'quarterly-share'>): string[] {
  return section.data.comparisons.flatMap((c) => curveLine(c, section.data.partial_quarter) ?? []);
}

/** The last quarters' counts per framework with their shares, the first row the headings: the terminal's and the page's table. */
export function quarterRows(section: SectionOf<'quarterly-share'>, format: (n: number) => string = String): string[][] {
  const data = section.data;
  const quarters = data.quarters.slice(-SUMMARY_QUARTERS);
  const [first = 'items'] = data.units;
  const totals = new Map(data.totals.map((t) => [t.quarter, t.counts[first] ?? null]));
  return [
    ['quarter', ...data.frameworks.map((f) => `${f} ${first}`), `all ${first}`],
    ...quarters.map((q) => [
      `${q}${q === data.partial_quarter ? '*' : ''}`,
      ...data.frameworks.map((f) => {
        const p = data.points.find((x) => x.quarter === q && x.framework === f);
        const count = p?.counts[first] ?? null;
        return count === null ? 'n/a' : `${format(count)} (${pct(count, totals.get(q) ?? null)})`;
      }),
      orNa(totals.get(q) ?? null, format),
    ]),
  ];
}

/** The partial quarter and what was left out, in words. */
export function quarterlyNotes(section: SectionOf<'quarterly-share'>): string[] {
  const data = section.data;
  const out: string[] = [];
  if (data.partial_quarter !== null && data.quarters.slice(-SUMMARY_QUARTERS).includes(data.partial_quarter)) {
    out.push(`* ${data.partial_quarter} is partial: counted through ${data.counted_through}, not extrapolated`);
  }
  const leftOut = data.left_out.filter((l) => l.count > 0);
  if (leftOut.length > 0) {
    const total = leftOut.reduce((sum, l) => sum + l.count, 0);
    out.push(
      `${total} ${section.series.text.unit} left out, no quarter to count them in: ${leftOut.map((l) => `${l.count} ${l.description}`).join('; ')}`,
    );
  }
  return out;
}
