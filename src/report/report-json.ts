import type { Report } from '../analyze/report-types.js';

/** What each written file holds, stored in report.json so the export documents itself. */
export const FILE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'report.json': 'this file: every figure, the methodology, the claims audit, warnings; shares and growth as fractions 0-1',
  'observations.csv': 'all stored observations (the whole history): source,metric,subject,period,value,observed_at,run_id,query,method',
  'hf_models.csv': 'Hub segments per observation date: observed_on,comparison,segment,frameworks,models,share_pct (percent, 2 decimals)',
  'pubmed_by_year.csv':
    'one row per year and keyword: year,keyword,count,adjusted,partial,share_pct,yoy_pct,adjusted_linear,adjusted_lag_aware,observed_at; adjusted = value used for shares/growth (the count in complete years); empty = not available',
  'pubmed_by_year_wide.csv':
    'chart-ready: year, one column per keyword with the adjusted-or-final value (chart these), one "<keyword> raw" column per keyword with the stored count, then partial (true when the row holds a partial-year estimate)',
  'pubmed_trend.svg': 'papers per year per keyword; the partial year dashed to its adjusted value',
  'hf_models.svg': 'Hub models per segment and availability at the latest date of each comparison',
};

/** report.json: the report plus the file guide, 2-space indented, trailing newline. */
export function reportJson(report: Report): string {
  return `${JSON.stringify({ ...report, files: FILE_DESCRIPTIONS }, null, 2)}\n`;
}
