import type { Report } from '../analyze/report-types.js';
import type { OutputFile } from './kinds.js';
import { REPORT_HTML, REPORT_HTML_DESCRIPTION } from './page/report-page.js';
import { SCORECARD_CSV, SCORECARD_DESCRIPTION } from './scorecard-csv.js';

/** The files every report writes besides the sections' own. */
export const REPORT_JSON = 'report.json';
export const HISTORY_CSV = 'observations.csv';
const COMMON_DESCRIPTIONS: Readonly<Record<string, string>> = {
  [REPORT_JSON]: 'this file: every figure, the methodology, the claims audit, warnings; shares and growth as fractions 0-1',
  [HISTORY_CSV]:
    'the stored observations this report was computed from (methodology.observations says which; `adoption-metrics export` writes the whole history): source,metric,subject,period,value,observed_at,run_id,query,method,held_back (true: a suspect collapse the reports leave out)',
  [SCORECARD_CSV]: SCORECARD_DESCRIPTION,
  [REPORT_HTML]: REPORT_HTML_DESCRIPTION,
};

/** methodology.observations: what observations.csv holds, and where the rest of the history is. */
export const OBSERVATIONS_METHODOLOGY =
  "observations.csv holds the stored observations this report was computed from, and no others: each series' latest value of every period as of the as-of date, and the history its figures use (every snapshot a history table shows, the histogram and the snapshots behind the snapshot gap, the counts, totals and completeness counts as of the days the partial-year estimates and the backtest look at, the snapshot a quarterly table shows), with the values held back as suspect that the warnings name (held_back true). Recomputing the report from these rows gives the same figures. The whole stored history: `adoption-metrics export` (CSV or Parquet).";

/**
 * report.json, 2-space indented with a trailing newline. Each section goes under its series key, in report
 * order; the first claims audit follows the section it was checked against (`audit`, as readers knew it), and
 * `audits` after the sections lists every series' audit; `files` says what every written file
 * holds, so the export documents itself. The shape is described in src/report/report.schema.json.
 */
export function reportJson(report: Report, sectionFiles: readonly OutputFile[]): string {
  const methodology: Record<string, unknown> = {};
  for (const section of report.sections) methodology[section.series.key] = section.methodology;
  const [firstAudit] = report.audits;
  // `audit` is the first audit, as before audits could come from several series; each audit carries its own.
  if (firstAudit) methodology.audit = firstAudit.methodology;
  methodology.queries = report.queries;
  methodology.observations = OBSERVATIONS_METHODOLOGY;

  const out: Record<string, unknown> = {
    report_version: report.report_version,
    as_of: report.as_of,
    generated_at: report.generated_at,
    data_origin: report.data_origin,
    data_notices: report.data_notices,
    scorecard: report.scorecard,
    methodology,
  };
  for (const section of report.sections) {
    out[section.series.key] = section.data;
    if (firstAudit?.key === section.series.key) out.audit = firstAudit.result;
  }
  if (report.audits.length > 0) {
    out.audits = report.audits.map((a) => ({ key: a.key, source: a.source, methodology: a.methodology, ...a.result }));
  }
  out.warnings = report.warnings;
  out.files = { ...COMMON_DESCRIPTIONS, ...Object.fromEntries(sectionFiles.map((f) => [f.name, f.description])) };
  return `${JSON.stringify(out, null, 2)}\n`;
}
