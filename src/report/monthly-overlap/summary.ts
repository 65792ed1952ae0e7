import type { MonthlyComparison } from '../../analyze/monthly-overlap/types.js';
import type { SectionOf } from '../../analyze/report-types.js';
import { percent } from '../../analyze/rounding.js';
import { grouped } from '../svg.js';

const pct = (share: number | null) => (share === null ? 'n/a' : `${percent(share).toFixed(1)} %`);

/** The trend: each segment's share of the month's new items, a year before the last full month and in it. */
export function trendLine(c: MonthlyComparison, unit: string): string | undefined {
  if (!c.trend) return undefined;
  const parts = c.trend.segments.map((s) => `${s.segment} ${pct(s.from_share)} → ${pct(s.to_share)}`);
  return `share of new ${unit}, ${c.trend.from_month} → ${c.trend.to_month} (last full month): ${parts.join('; ')}`;
}

/** The latest gap between the cumulative curve and a day's observed count. */
export function gapLine(c: MonthlyComparison, unit: string): string | undefined {
  const gap = c.snapshot_gap.at(-1);
  if (!gap) return undefined;
  const signed = gap.gap === 0 ? '0' : `${gap.gap > 0 ? '+' : '-'}${grouped(Math.abs(gap.gap))}`;
  return `observed ${gap.observed_on}: ${grouped(gap.observed)} ${unit}; created by the end of ${gap.month} and still listed: ${grouped(gap.cumulative)} (gap ${signed})`;
}

/** How many items the histogram holds, undated and dated. */
export function totalLine(c: MonthlyComparison, unit: string): string {
  const first = c.months[0]?.month;
  const last = c.months.at(-1)?.month;
  return `${grouped(c.total)} ${unit}: ${grouped(c.undated.total)} undated, ${grouped(c.total - c.undated.total)} created ${first ? `${first} to ${last}` : 'in no dated month'}`;
}

/** Terminal lines of a monthly-overlap series: per comparison, the trend line, the undated block and the gap. */
export function monthlySummary(section: SectionOf<'monthly-overlap'>): string[] {
  const { label, unit } = section.series.text;
  const out: string[] = [];
  for (const c of section.data.comparisons) {
    out.push('', `${label} created per month: ${c.comparison}, as listed ${c.observed_at} (${c.method} counts)`);
    for (const line of [totalLine(c, unit), trendLine(c, unit), gapLine(c, unit)]) if (line) out.push(`  ${line}`);
  }
  if (section.data.unavailable !== null) out.push('', `${label} created per month: none stored: ${section.data.unavailable}`);
  return out;
}
