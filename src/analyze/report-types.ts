import type { ClaimsAudit } from './claims-types.js';
import type { Scorecard } from './scorecard.js';
import type { Section, SectionOf, SeriesKind } from './series.js';

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
  /** Every series' indicators per framework, the latest settled period against a year before, with a direction. */
  scorecard: Scorecard;
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

export type { Section, SectionOf } from './series.js';

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
export function sectionsOf<K extends SeriesKind>(report: Report, kind: K): SectionOf<K>[] {
  return report.sections.filter((s) => s.kind === kind) as SectionOf<K>[];
}
