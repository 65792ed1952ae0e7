import type { HubComparison, PubmedPoint, Report } from '../analyze/report-types.js';
import { textTable } from './text-table.js';

/** The terminal summary printed by `report` and `status`: the latest figures, compact, plain text. */

/** Years shown in the terminal; the files have them all. */
const SUMMARY_YEARS = 8;

const pctOf = (models: number, total: number) => `${((100 * models) / total).toFixed(2)} %`;

function hubTable(c: HubComparison): string {
  const rows = [
    ['segment', 'models', 'share'],
    ...c.segments.map((s) => [s.segment, String(s.models), pctOf(s.models, c.total)]),
    ['all (union)', String(c.total), '100.00 %'],
    ...c.availability.map((a) => [`available for ${a.framework}`, String(a.models), pctOf(a.models, c.total)]),
  ];
  return textTable(rows, [false, true, true]);
}

function cell(p: PubmedPoint | undefined): string {
  if (!p || p.count === null) return p?.partial ? 'n/a*' : 'n/a';
  if (!p.partial) return String(p.count);
  return `${Math.round(p.adjusted ?? p.count)}* (${p.count})`;
}

function pubmedTable(report: Report): string {
  const { series } = report.pubmed;
  const years = [...new Set(series.flatMap((s) => s.points.map((p) => p.year)))].sort((a, b) => a - b).slice(-SUMMARY_YEARS);
  const rows = [
    ['year', ...series.map((s) => s.keyword)],
    ...years.map((year) => [String(year), ...series.map((s) => cell(s.points.find((p) => p.year === year)))]),
  ];
  return textTable(rows, [false, ...series.map(() => true)]);
}

export function renderSummary(report: Report): string {
  const origin = { replayed: 'REPLAYED data, not live', live: 'live data', none: 'no data' }[report.data_origin];
  const out = [`Adoption metrics as of ${report.as_of} (${origin}; generated ${report.generated_at})`];
  for (const notice of report.data_notices) out.push(`NOTICE: ${notice}`);

  for (const c of report.huggingface.comparisons) {
    out.push('', `Hugging Face Hub models: ${c.comparison}, observed ${c.observed_at} (${c.method} counts)`, hubTable(c));
  }
  if (report.huggingface.comparisons.length === 0) out.push('', 'Hugging Face Hub models: no complete comparison stored');

  const { adjustment, series } = report.pubmed;
  if (series.length > 0 && series.every((s) => s.observed_at === null)) {
    // A table of n/a says nothing; the warnings below name each keyword and the command to run.
    out.push('', `PubMed papers per year: none stored yet for ${series.map((s) => s.keyword).join(', ')}`);
  } else if (series.length > 0) {
    out.push('', 'PubMed papers per year', pubmedTable(report));
    if (adjustment.partial_year !== null) {
      out.push(
        `  * ${adjustment.partial_year} is partial: ${adjustment.method} estimate (raw count so far in parentheses), counts observed ${adjustment.as_of}`,
      );
    }
    const observed = series.map((s) => `${s.keyword} ${s.observed_at ?? 'never'}`).join(', ');
    out.push(`  observed: ${observed}`);
  } else {
    out.push('', 'PubMed papers per year: no keywords configured or no counts stored');
  }

  if (report.warnings.length > 0) out.push('', 'Warnings:', ...report.warnings.map((w) => `  - ${w}`));
  return `${out.join('\n')}\n`;
}
