import { defineKindAnalysis } from '../kind-analysis.js';
import { analyzeMonthlyCount } from './analyze.js';
import { monthlyCountIndicators } from './indicators.js';
import { monthlyCountMethodology } from './methodology.js';
import { monthlyCountRows } from './row-need.js';

export const monthlyCountAnalysis = defineKindAnalysis<'monthly-count'>({
  rows: monthlyCountRows,
  analyze: (series, rows, asOf) => {
    const { report, warnings, usedRows } = analyzeMonthlyCount(series, rows, asOf);
    return { data: report, warnings, usedRows };
  },
  methodology: monthlyCountMethodology,
  indicators: monthlyCountIndicators,
});
