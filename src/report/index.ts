/** Report writers and renderers. buildReport is re-exported so callers need one import for the whole pipeline. */
export { buildReport, type BuildReportInput, REPORT_VERSION } from '../analyze/build-report.js';
export type { Report } from '../analyze/report-types.js';
export { writeFileAtomic } from './atomic-write.js';
export { renderAudit } from './audit-text.js';
export { defuseFormula, toCsv } from './csv.js';
export { sectionFiles } from './kinds.js';
export { observationsCsv } from './observations-csv.js';
export { HISTORY_CSV, reportJson } from './report-json.js';
export { renderBacktests, renderSummary } from './summary.js';
export { type WriteOptions, writeReportFiles, writeReports } from './write-reports.js';
