import type { StoredObservation } from '../core/observation.js';
import type { SeriesSpec } from '../core/series.js';
import { analyzeMonthly } from './monthly-overlap/analyze.js';
import { monthlyMethodology } from './monthly-overlap/methodology.js';
import { analyzeOverlap } from './overlap-snapshot/analyze.js';
import { overlapMethodology } from './overlap-snapshot/methodology.js';
import { analyzeQuarterly } from './quarterly-share/analyze.js';
import { quarterlyMethodology } from './quarterly-share/methodology.js';
import type { AuditEntry, Section } from './report-types.js';
import { analyzeYearly } from './yearly-count/analyze.js';
import { yearlyMethodology } from './yearly-count/methodology.js';

export interface SeriesAnalysis {
  section: Section;
  warnings: string[];
  /** The rows behind the figures, for provenance and staleness checks. */
  usedRows: StoredObservation[];
  /** Claims a series' extension checked against its data. */
  audit?: AuditEntry;
}

/** One analyzer per series kind. `rows`: deduplicated, observed by the as-of date. */
export function analyzeSeries(series: SeriesSpec, rows: readonly StoredObservation[], asOf: string): SeriesAnalysis {
  switch (series.kind) {
    case 'yearly-count': {
      const { report, warnings, usedRows } = analyzeYearly(series, rows, asOf);
      return { section: { kind: series.kind, series, data: report, methodology: yearlyMethodology(series) }, warnings, usedRows };
    }
    case 'overlap-snapshot': {
      const { report, warnings, usedRows } = analyzeOverlap(series, rows);
      const audit = series.claims
        ? {
            key: series.key,
            source: series.text.source,
            result: series.claims.audit(report.comparisons),
            methodology: series.claims.methodology,
          }
        : undefined;
      return {
        section: { kind: series.kind, series, data: report, methodology: overlapMethodology(series) },
        warnings,
        usedRows,
        ...(audit ? { audit } : {}),
      };
    }

    case 'monthly-overlap': {
      const { report, warnings, usedRows } = analyzeMonthly(series, rows);
      return { section: { kind: series.kind, series, data: report, methodology: monthlyMethodology(series) }, warnings, usedRows };
    }

    case 'quarterly-share': {
      const { report, warnings, usedRows } = analyzeQuarterly(series, rows, asOf);
      const audit = series.claims
        ? { key: series.key, source: series.text.source, result: series.claims.audit(report), methodology: series.claims.methodology }
        : undefined;
      return {
        section: { kind: series.kind, series, data: report, methodology: quarterlyMethodology(series) },
        warnings,
        usedRows,
        ...(audit ? { audit } : {}),
      };
    }
  }
}
