/** The analyzer's public surface: pure functions from stored observations and config to the report. */
export { buildReport, type BuildReportInput } from './build-report.js';
export type * from './report-types.js';
export { hubComparisons, hubSettings, hfFrameworkPart, type HubComparisonSpec, type HubMethod, type HubSettings } from './hub-config.js';
export { pubmedKeywords, pubmedSettings, pubmedYears, type PubmedKeyword, type PubmedSettings } from './pubmed-config.js';
export { exactSegments, nonEmptySubsets } from './inclusion-exclusion.js';
export { hubSnapshots, segmentName } from './hub-shares.js';
export { auditClaims, ARTICLE_CLAIMS, TOLERANCES } from './claims-audit.js';
export { linearFactor, sameMonthDay } from './partial-year.js';
export { completenessByYear, meanCompleteness } from './completeness.js';
export { cagr, yoyGrowth } from './growth.js';
export { crossovers } from './crossovers.js';
export { trendLine } from './trend-line.js';
export { backtest } from './backtest.js';
export { analyzePubmed } from './pubmed-trend.js';
export { dedupeObservations, observedBy } from './select-observations.js';
