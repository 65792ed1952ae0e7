import type { MonthlyRow } from '../../analyze/monthly-overlap/types.js';
import type { SectionOf } from '../../analyze/report-types.js';
import { percent } from '../../analyze/rounding.js';
import { type Cell, fixed, toCsv } from '../csv.js';

/**
 * `<files>.csv` (hf_models_by_month.csv): one row per month and segment of each comparison's latest histogram,
 * the undated block first. The count columns are named after the unit counted (`models_created`,
 * `cumulative_models`); `observed_on` says whose listing the histogram is.
 */
export function monthlyColumns(section: SectionOf<'monthly-overlap'>): string[] {
  const { unit } = section.series.text;
  return ['month', 'comparison', 'segment', 'frameworks', `${unit}_created`, 'share_pct', `cumulative_${unit}`, 'observed_on'];
}

export function monthlyCsv(section: SectionOf<'monthly-overlap'>, options: { bom?: boolean } = {}): string {
  const rows: Cell[][] = [];
  for (const c of section.data.comparisons) {
    for (const month of [c.undated, ...c.months]) rows.push(...monthRows(month, c.comparison, c.observed_at));
  }
  return toCsv(monthlyColumns(section), rows, options);
}

function monthRows(month: MonthlyRow, comparison: string, observedOn: string): Cell[][] {
  return month.segments.map((s) => [
    month.month,
    comparison,
    s.segment,
    s.frameworks.join('+'),
    s.created,
    // Percent from the counts, not from the rounded fraction, so 2 decimals are exact; empty when nothing was created.
    month.total === 0 ? null : fixed(percent(s.created / month.total)),
    s.cumulative,
    observedOn,
  ]);
}
