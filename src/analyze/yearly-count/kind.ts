import { defineKindAnalysis } from '../kind-analysis.js';
import { analyzeYearly } from './analyze.js';
import { yearlyMethodology } from './methodology.js';
import { yearlyIndicators } from './indicators.js';

export const yearlyCountAnalysis = defineKindAnalysis<'yearly-count'>({
  analyze: (series, rows, asOf) => {
    const { report, warnings, usedRows } = analyzeYearly(series, rows, asOf);
    return { data: report, warnings, usedRows };
  },
  methodology: yearlyMethodology,
  indicators: yearlyIndicators,
});
