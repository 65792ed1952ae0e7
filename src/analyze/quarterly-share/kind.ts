import { defineKindAnalysis } from '../kind-analysis.js';
import { analyzeQuarterly } from './analyze.js';
import { quarterlyMethodology } from './methodology.js';
import { quarterlyIndicators } from './indicators.js';
import { quarterlyRows } from './row-need.js';

export const quarterlyShareAnalysis = defineKindAnalysis<'quarterly-share'>({
  rows: quarterlyRows,
  analyze: (series, rows, asOf) => {
    const { report, warnings, usedRows } = analyzeQuarterly(series, rows, asOf);
    return { data: report, warnings, usedRows };
  },
  methodology: quarterlyMethodology,
  indicators: quarterlyIndicators,
  audit: (series, data) => (series.claims ? { result: series.claims.audit(data), methodology: series.claims.methodology } : undefined),
});
