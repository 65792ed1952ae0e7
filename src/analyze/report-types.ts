import type { ClaimsAudit } from './claims-types.js';
import type { MonthlyOverlapSeries } from './monthly-overlap/spec.js';
import type { MonthlyMethodology, MonthlyReport } from './monthly-overlap/types.js';
import type { OverlapSnapshotSeries } from './overlap-snapshot/spec.js';
import type { OverlapMethodology, OverlapReport } from './overlap-snapshot/types.js';
import type { QuarterlyShareSeries } from './quarterly-share/spec.js';
import type { QuarterlyMethodology, QuarterlyReport } from './quarterly-share/types.js';
import type { YearlyCountSeries } from './yearly-count/spec.js';
import type { YearlyMethodology, YearlyReport } from './yearly-count/types.js';

/**
 * Everything report.json holds. Sections follow the series the configured collectors declare, in registry
 * order; report.json puts each under its series key (see report-json.ts and src/report/report.schema.json).
 */
export interface Report {
  /** The shape's version: bumped when a field changes meaning or disappears (adding one does not). */
  report_version: number;
  as_of: string;
  generated_at: string;
  /** `replayed` when any observation came from a replay directory rather than the live APIs; `none` when nothing is stored. */
  data_origin: 'live' | 'replayed' | 'none';
  /** What the source of the data says about it, e.g. that a demo archive's counts are illustrative. */
  data_notices: string[];
  sections: Section[];
  /** The published claims checked against the data, one audit per series that carries claims, in report order. */
  audits: AuditEntry[];
  /** One entry per series actually used, so each number can be re-queried. Every query is in observations.csv. */
  queries: QueryRecord[];
  /** Things a reader must know: skipped comparisons, inconsistent counts, adjustment fallbacks, gaps. */
  warnings: string[];
}

export interface AuditEntry {
  /** Key of the series whose data the claims are checked against. */
  key: string;
  /** The series' source as a sentence names it (its text.source). */
  source: string;
  result: ClaimsAudit;
  /** How the claims are checked: methodology text. */
  methodology: string;
}

export type Section =
  | { kind: 'yearly-count'; series: YearlyCountSeries; data: YearlyReport; methodology: YearlyMethodology }
  | { kind: 'overlap-snapshot'; series: OverlapSnapshotSeries; data: OverlapReport; methodology: OverlapMethodology }
  | { kind: 'monthly-overlap'; series: MonthlyOverlapSeries; data: MonthlyReport; methodology: MonthlyMethodology }
  | { kind: 'quarterly-share'; series: QuarterlyShareSeries; data: QuarterlyReport; methodology: QuarterlyMethodology };

export type SectionOf<K extends Section['kind']> = Extract<Section, { kind: K }>;

export interface QueryRecord {
  source: string;
  metric: string;
  subject: string;
  method: string;
  /** The period whose stored query is shown; yearly queries differ per year only in the year. */
  period: string;
  observed_at: string;
  query: string;
}

/** The sections of one kind, in report order. */
export function sectionsOf<K extends Section['kind']>(report: Report, kind: K): SectionOf<K>[] {
  return report.sections.filter((s): s is SectionOf<K> => s.kind === kind);
}
