import type { SectionOf } from '../../analyze/report-types.js';
import { grouped } from '../svg.js';
import { textTable } from '../text-table.js';
import { shareIn } from '../../analyze/monthly-count/indicators.js';

const percentText = (value: number | null): string => (value === null ? 'n/a' : `${value.toFixed(2)} %`);

type Section = SectionOf<'monthly-count'>;

/** Months shown in the terminal: the last 13 (the month a year before the last full one is in the note under them). */
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
  const rows = monthRows(section);
  return [
    '',
    `${label} (data through ${data.through}; observed ${data.observed_at})`,
    textTable(rows, [false, ...rows[0]!.slice(1).map(() => true)]),
    ...monthlyCountNotes(section).map((line) => `  ${line}`),
  ];
}

/**
 * The last 13 months as table rows (the first row the headings): each framework's count (`*` partial) and, for
 * the first comparison, each member's share.
 */
export function monthRows(section: Section): string[][] {
  const data = section.data;
  const first = data.comparisons[0];
  const shown = data.months.slice(-SUMMARY_MONTHS);
  const offset = data.months.length - shown.length;
  return [
    ['month', ...data.series.map((f) => f.framework), ...(first ? first.frameworks.map((f) => `${f} share`) : [])],
    ...shown.map((month, i) => {
      const points = data.series.map((f) => f.points[offset + i]!);
      const partial = points.some((p) => p.partial);
      return [
        `${month}${partial ? '*' : ''}`,
        ...points.map((p) => (p.count === null ? 'n/a' : p.partial ? `${grouped(p.count)}*` : grouped(p.count))),
        ...(first ? first.frameworks.map((f) => percentText(shareIn(first, month, f))) : []),
      ];
    }),
  ];
}

/** What the table cannot say: the partial month and its estimates, each comparison a year apart, where data starts. */
export function monthlyCountNotes(section: Section): string[] {
  const data = section.data;
  const out: string[] = [];
  const estimate = data.estimate;
  if (estimate) {
    out.push(`* ${estimate.month} is partial: ${estimate.days_covered} of ${estimate.days_in_month} days counted`);
    for (const f of estimate.frameworks) {
      out.push(
        f.estimate === null
          ? `  ${f.framework}: no estimate, ${f.withheld_reason}`
          : `  ${f.framework}: about ${grouped(Math.round(f.estimate))} for the whole month (day-proportional; its backtest over the 12 months before missed by ${f.mape?.toFixed(1)} % on average)`,
      );
    }
  }
  if (data.comparisons.length === 0) {
    out.push(`no comparison is configured (${section.series.source}.comparisons): no shares, and no scorecard indicator`);
  }
  for (const c of data.comparisons) {
    const last = data.last_full_month;
    if (last === null) continue;
    const before = `${String(Number(last.slice(0, 4)) - 1).padStart(4, '0')}${last.slice(4)}`;
    const shares = c.frameworks.map((f) => {
      return `${f} ${percentText(shareIn(c, before, f))} → ${percentText(shareIn(c, last, f))}`;
    });
    out.push(`share of ${c.comparison} ${section.series.text.unit}, ${before} → ${last} (last full month): ${shares.join('; ')}`);
  }
  const starts = data.series.filter((f) => f.data_starts !== null && f.data_starts > data.from_month);
  if (starts.length > 0) {
    out.push(`data starts: ${starts.map((f) => `${f.framework} ${f.data_starts}`).join(', ')} (months before count 0)`);
  }
  return out;
}
