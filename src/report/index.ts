/** Report writers and renderers. buildReport is re-exported so callers need one import for the whole pipeline. */
export { buildReport, type BuildReportInput } from '../analyze/build-report.js';
export type { Report } from '../analyze/report-types.js';
export { HISTORY_CSV, writeReportFiles, writeReports, type WriteOptions } from './write-reports.js';
export { renderSummary } from './summary.js';
export { renderAudit } from './audit-text.js';
export { renderBacktest } from './backtest-text.js';
export { observationsCsv } from './observations-csv.js';
export { hfModelsCsv } from './hf-models-csv.js';
export { pubmedCsv, pubmedWideCsv } from './pubmed-csv.js';
export { reportJson, FILE_DESCRIPTIONS } from './report-json.js';
export { pubmedChartSvg } from './pubmed-chart.js';
export { hubChartSvg } from './hub-chart.js';
export { defuseFormula, toCsv } from './csv.js';
export { writeFileAtomic } from './atomic-write.js';
