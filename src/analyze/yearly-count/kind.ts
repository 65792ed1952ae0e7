import { defineKindAnalysis } from '../kind-analysis.js';
import { analyzeYearly } from './analyze.js';
import { yearlyMethodology } from './methodology.js';
import { yearlyIndicators } from './indicators.js';
import { yearlyRows } from './row-need.js';

export const yearlyCountAnalysis = defineKindAnalysis<'yearly-count'>({
  rows: yearlyRows,
  analyze: (series, rows, asOf) => {
    const { report, warnings, usedRows } = analyzeYearly(series, rows, asOf);
    return { data: report, warnings, usedRows };
  },
  methodology: yearlyMethodology,
  indicators: yearlyIndicators,
});
