import { defineKindAnalysis } from '../kind-analysis.js';
import { analyzeMonthly } from './analyze.js';
import { monthlyMethodology } from './methodology.js';
import { monthlyIndicators } from './indicators.js';
import { monthlyRows } from './row-need.js';

export const monthlyOverlapAnalysis = defineKindAnalysis<'monthly-overlap'>({
  rows: monthlyRows,
  analyze: (series, rows) => {
    const { report, warnings, usedRows } = analyzeMonthly(series, rows);
    return { data: report, warnings, usedRows };
  },
  methodology: monthlyMethodology,
  indicators: monthlyIndicators,
});
