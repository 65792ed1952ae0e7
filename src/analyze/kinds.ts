import type { StoredObservation } from '../core/observation.js';
import type { RowSelection } from '../core/row-selection.js';
import type { Indicator } from './indicator.js';
import type { KindAnalysis, RowsRead } from './kind-analysis.js';
import { monthlyCountAnalysis } from './monthly-count/kind.js';
import { monthlyOverlapAnalysis } from './monthly-overlap/kind.js';
import { overlapSnapshotAnalysis } from './overlap-snapshot/kind.js';
import { quarterlyShareAnalysis } from './quarterly-share/kind.js';
import type { AuditEntry, Section } from './report-types.js';
import type { SectionOf, SeriesKind, SeriesSpec } from './series.js';
import { yearlyCountAnalysis } from './yearly-count/kind.js';

/** Every kind's analysis, by kind (typed by KindTypes: a kind without one does not compile). */
const KIND_ANALYSES: { readonly [K in SeriesKind]: KindAnalysis<K> } = {
  'monthly-count': monthlyCountAnalysis,
  'monthly-overlap': monthlyOverlapAnalysis,
  'overlap-snapshot': overlapSnapshotAnalysis,
  'quarterly-share': quarterlyShareAnalysis,
  'yearly-count': yearlyCountAnalysis,
};

/** Every kind the analysis and the reports know (the contract test checks collectors declare only these). */
export const SERIES_KINDS = Object.keys(KIND_ANALYSES) as readonly SeriesKind[];

export interface SeriesAnalysis {
  section: Section;
  warnings: string[];
  /** The rows behind the figures, for provenance and staleness checks. */
  usedRows: StoredObservation[];
  /** Claims a series' extension checked against its data. */
  audit?: AuditEntry;
}

/** Analyses one series by its kind. `rows`: deduplicated, observed by the as-of date. */
export function analyzeSeries(series: SeriesSpec, rows: readonly StoredObservation[], asOf: string): SeriesAnalysis {
  return analyzeAs(series.kind, series, rows, asOf);
}

/** The stored rows the analysis of one series reads, given those read so far (KindAnalysis.rows). */
export function rowsNeeded(series: SeriesSpec, asOf: string, read: RowsRead): RowSelection[] {
  return analysisOf(series.kind).rows(series as never, asOf, read);
}

// TypeScript does not correlate `series.kind` with `series` through the table, so the lookups are typed here.
function analysisOf<K extends SeriesKind>(kind: K): KindAnalysis<K> {
  return KIND_ANALYSES[kind] as KindAnalysis<K>;
}

function analyzeAs<K extends SeriesKind>(
  kind: K,
  series: SectionOf<K>['series'],
  rows: readonly StoredObservation[],
  asOf: string,
): SeriesAnalysis {
  const analysis = analysisOf(kind);
  const { data, warnings, usedRows } = analysis.analyze(series, rows, asOf);
  const section = { kind, series, data, methodology: analysis.methodology(series) } as SectionOf<K> as Section;
  const audit = analysis.audit?.(series, data);
  return { section, warnings, usedRows, ...(audit ? { audit: { key: series.key, source: series.text.source, ...audit } } : {}) };
}

/** One analysed section's scorecard indicators, by its kind. */
export function sectionIndicators(section: Section, asOf: string): Indicator[] {
  return indicatorsAs(section.kind, section, asOf);
}

function indicatorsAs<K extends SeriesKind>(kind: K, section: SectionOf<K>, asOf: string): Indicator[] {
  return (KIND_ANALYSES[kind] as KindAnalysis<K>).indicators(section.series, section.data, asOf);
}
