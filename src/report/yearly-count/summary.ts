import type { SectionOf } from '../../analyze/report-types.js';
import type { YearlyPoint } from '../../analyze/yearly-count/types.js';
import { textTable } from '../text-table.js';

/** Years shown in the terminal; the files have them all. */
const SUMMARY_YEARS = 8;

function cell(p: YearlyPoint | undefined): string {
  if (!p || p.count === null) return p?.partial ? 'n/a*' : 'n/a';
  if (!p.partial) return String(p.count);
  return `${Math.round(p.adjusted ?? p.count)}* (${p.count})`;
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
      `  * ${adjustment.partial_year} is partial: ${adjustment.method} estimate (raw count so far in parentheses), counts observed ${adjustment.as_of}`,
    );
  }
  out.push(`  observed: ${series.map((s) => `${s.keyword} ${s.observed_at ?? 'never'}`).join(', ')}`);
  return out;
}
