import type { SectionOf } from '../../analyze/report-types.js';
import type { Adjustment, YearlyPoint } from '../../analyze/yearly-count/types.js';
import { textTable } from '../text-table.js';

/** Years shown in the terminal; the files have them all. */
const SUMMARY_YEARS = 8;

function cell(p: YearlyPoint | undefined): string {
  if (!p || p.count === null) return p?.partial ? 'n/a*' : 'n/a';
  if (!p.partial) return String(p.count);
  if (p.adjusted === null) return `withheld* (${p.count})`;
  return `${Math.round(p.adjusted)}* (${p.count})`;
}

function yearTable(section: SectionOf<'yearly-count'>): string {
  const { series } = section.data;
  const years = [...new Set(series.flatMap((s) => s.points.map((p) => p.year)))].sort((a, b) => a - b).slice(-SUMMARY_YEARS);
  const rows = [
    ['year', ...series.map((s) => s.keyword)],
    ...years.map((year) => [String(year), ...series.map((s) => cell(s.points.find((p) => p.year === year)))]),
  ];
  return textTable(rows, [false, ...series.map(() => true)]);
}

/** `lag-aware estimate`, or each keyword's method when they differ. */
export function methodWords(adjustment: Adjustment): string {
  if (adjustment.method === 'lag-aware' || adjustment.method === 'linear') return `${adjustment.method} estimate`;
  if (adjustment.method === 'withheld') return 'no estimate yet';
  const by = (method: string) => Object.keys(adjustment.methods).filter((k) => adjustment.methods[k] === method);
  const parts = ['lag-aware', 'linear', 'withheld']
    .filter((m) => by(m).length > 0)
    .map((m) => `${m === 'withheld' ? 'none' : m} for ${by(m).join(', ')}`);
  return `estimates per keyword, ${parts.join('; ')}`;
}

/** Terminal lines of a yearly-count series: the last years per keyword, the partial year marked. */
export function yearlySummary(section: SectionOf<'yearly-count'>): string[] {
  const { label } = section.series.text;
  const { adjustment, series } = section.data;
  if (series.length > 0 && series.every((s) => s.observed_at === null)) {
    // A table of n/a says nothing; the warnings name each keyword and the command to run.
    return ['', `${label}: none stored yet for ${series.map((s) => s.keyword).join(', ')}`];
  }
  if (series.length === 0) return ['', `${label}: no keywords configured or no counts stored`];
  const out = ['', label, yearTable(section)];
  if (adjustment.partial_year !== null) {
    out.push(
      `  * ${adjustment.partial_year} is partial: ${methodWords(adjustment)} (raw count so far in parentheses), counts observed ${adjustment.as_of}`,
    );
    for (const [keyword, reason] of Object.entries(adjustment.withheld)) out.push(`  * no estimate for ${keyword}: ${reason}`);
  }
  out.push(`  observed: ${series.map((s) => `${s.keyword} ${s.observed_at ?? 'never'}`).join(', ')}`);
  return out;
}
