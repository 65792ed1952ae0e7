import type { SectionOf } from '../../analyze/report-types.js';
import { grouped } from '../svg.js';
import { pctText, textTable } from '../text-table.js';

type Section = SectionOf<'monthly-count'>;

/** Months shown in the terminal: the last 13, so the last full month and the same month a year before are both there. */
export const SUMMARY_MONTHS = 13;

/**
 * Terminal lines of a monthly-count series: the last 13 months per framework (the partial month marked, its
 * estimate or why it is withheld), each comparison's share in the last full month against a year before, and
 * where each framework's data starts when that is inside the range.
 */
export function monthlyCountSummary(section: Section): string[] {
  const { label } = section.series.text;
  const data = section.data;
  if (data.through === null) return ['', `${label}: none stored yet`];
  const out = ['', `${label} (data through ${data.through}; observed ${data.observed_at})`];
  const first = data.comparisons[0];
  const shareOf = (framework: string, month: string) =>
    first?.points.find((p) => p.framework === framework && p.month === month)?.share ?? null;
  const shown = data.months.slice(-SUMMARY_MONTHS);
  const offset = data.months.length - shown.length;
  const rows = [
    ['month', ...data.series.map((f) => f.framework), ...(first ? first.frameworks.map((f) => `${f} share`) : [])],
    ...shown.map((month, i) => {
      const points = data.series.map((f) => f.points[offset + i]!);
      const partial = points.some((p) => p.partial);
      return [
        `${month}${partial ? '*' : ''}`,
        ...points.map((p) => (p.count === null ? 'n/a' : p.partial ? `${grouped(p.count)}*` : grouped(p.count))),
        ...(first ? first.frameworks.map((f) => pctText(shareOf(f, month)) || 'n/a') : []),
      ];
    }),
  ];
  out.push(textTable(rows, [false, ...rows[0]!.slice(1).map(() => true)]));
  const estimate = data.estimate;
  if (estimate) {
    out.push(`  * ${estimate.month} is partial: ${estimate.days_covered} of ${estimate.days_in_month} days counted`);
    for (const f of estimate.frameworks) {
      out.push(
        f.estimate === null
          ? `    ${f.framework}: no estimate, ${f.withheld_reason}`
          : `    ${f.framework}: about ${grouped(Math.round(f.estimate))} for the whole month (day-proportional; its backtest over the 12 months before missed by ${f.mape?.toFixed(1)} % on average)`,
      );
    }
  }
  for (const c of data.comparisons) {
    const last = data.last_full_month;
    if (last === null) continue;
    const before = `${String(Number(last.slice(0, 4)) - 1).padStart(4, '0')}${last.slice(4)}`;
    const shares = c.frameworks.map((f) => {
      const now = c.points.find((p) => p.framework === f && p.month === last)?.share ?? null;
      const then = c.points.find((p) => p.framework === f && p.month === before)?.share ?? null;
      return `${f} ${pctText(then) || 'n/a'} → ${pctText(now) || 'n/a'}`;
    });
    out.push(`  share of ${c.comparison} ${section.series.text.unit}, ${before} → ${last} (last full month): ${shares.join('; ')}`);
  }
  const starts = data.series.filter((f) => f.data_starts !== null && f.data_starts > data.from_month);
  if (starts.length > 0) {
    out.push(`  data starts: ${starts.map((f) => `${f.framework} ${f.data_starts}`).join(', ')} (months before count 0)`);
  }
  return out;
}
