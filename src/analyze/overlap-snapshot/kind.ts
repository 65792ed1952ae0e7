import { defineKindAnalysis } from '../kind-analysis.js';
import { analyzeOverlap } from './analyze.js';
import { overlapMethodology } from './methodology.js';
import { overlapIndicators } from './indicators.js';
import { overlapRows } from './row-need.js';

export const overlapSnapshotAnalysis = defineKindAnalysis<'overlap-snapshot'>({
  rows: overlapRows,
  analyze: (series, rows) => {
    const { report, warnings, usedRows } = analyzeOverlap(series, rows);
    return { data: report, warnings, usedRows };
  },
  methodology: overlapMethodology,
  indicators: overlapIndicators,
  audit: (series, data) =>
    series.claims ? { result: series.claims.audit(data.comparisons), methodology: series.claims.methodology } : undefined,
});
