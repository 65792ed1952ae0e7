import type { StoredObservation } from '../core/observation.js';
import type { SeriesSpec } from './series.js';
import { backdatedWarnings, type RunInfo, withCountingDays } from './backdated.js';
import { analyzeSeries, sectionIndicators } from './kinds.js';
import { queryRecords } from './methodology.js';
import type { AuditEntry, Report, Section } from './report-types.js';
import { buildScorecard, type SeriesIndicators } from './scorecard.js';
import { dedupeObservations, observedBy } from './select-observations.js';

/**
 * report.json's shape version (see src/report/report.schema.json). 2: series-kind sections, `report_version`;
 * 3: the `scorecard`.
 */
export const REPORT_VERSION = 3;

export interface BuildReportInput {
  /**
   * The stored rows: the whole history (every run appends), or what the series' kinds read of it
   * (src/analyze/read-rows.ts), with the values held back as suspect.
   */
  observations: readonly StoredObservation[];
  /** The rows are a store's answer (one per series, period and observation date, none after asOf): not filtered again. */
  selected?: boolean;
  /** The series the configured collectors declare, in registry order. */
  series: readonly SeriesSpec[];
  /** `YYYY-MM-DD`; nothing observed later is used. */
  asOf: string;
  /** ISO timestamp, injected so the analysis never reads the clock. */
  generatedAt: string;
  /** Data came from a replay directory, not the live APIs. */
  replayed: boolean;
  /** What the runs behind the data say about it (a replayed archive's NOTICE), shown with every output. */
  notices?: readonly string[];
  /** The runs that stored the observations, by id: flags live counts of present-only sources stored under an earlier date. */
  runs?: ReadonlyMap<number, RunInfo>;
  /** Sources that serve only their present state, with how a sentence names their API (`the … API`). */
  presentOnly?: ReadonlyMap<string, string>;
  /**
   * Sources left out of collection, with the line saying why and what to do (a required key unset under the
   * built-in defaults). With nothing of theirs stored, the report says that line and has no section for them
   * (no empty files, no advice to collect what would fail); what they stored earlier is still reported.
   */
  skipped?: ReadonlyMap<string, string>;
}

/** Everything report.json holds, computed from stored observations alone (pure: no clock, no I/O). */
export function buildReport(input: BuildReportInput): Report {
  const observed = input.selected ? input.observations : observedBy(input.observations, input.asOf);
  // Values held back as suspect stay out: each series keeps its last good value, and the report says so.
  const good = observed.filter((o) => o.suspect === undefined);
  // A present-only source's live counts describe the day they were made, not the date they are stored under.
  const rows = withCountingDays(input.selected ? good : dedupeObservations(good), input.presentOnly, input.runs);
  const warnings = heldBackWarnings(observed);
  const sections: Section[] = [];
  const usedRows: StoredObservation[] = [];
  const audits: AuditEntry[] = [];
  const indicators: SeriesIndicators[] = [];
  const storedSources = new Set(observed.map((o) => o.source));
  for (const series of input.series) {
    const skipped = input.skipped?.get(series.source);
    if (skipped !== undefined && !storedSources.has(series.source)) {
      warnings.push(skipped);
      continue;
    }
    const analysis = analyzeSeries(series, rows, input.asOf);
    sections.push(analysis.section);
    indicators.push({ series, indicators: sectionIndicators(analysis.section, input.asOf), stored: storedSources.has(series.source) });
    warnings.push(...analysis.warnings);
    usedRows.push(...analysis.usedRows);
    if (analysis.audit) audits.push(analysis.audit);
    const api = input.presentOnly?.get(series.source);
    if (input.runs && api) warnings.push(...backdatedWarnings(series.source, api, analysis.usedRows, input.runs));
  }
  return {
    report_version: REPORT_VERSION,
    as_of: input.asOf,
    generated_at: input.generatedAt,
    data_origin: observed.length === 0 ? 'none' : input.replayed ? 'replayed' : 'live',
    data_notices: [...(input.notices ?? [])],
    sections,
    scorecard: buildScorecard(indicators, input.asOf),
    audits,
    queries: queryRecords(usedRows),
    // Two series of one source can see the same back-dated rows: say it once.
    warnings: [...new Set(warnings)],
  };
}

/** One warning per source and observation date with values held back as suspect, naming the first few. */
function heldBackWarnings(rows: readonly StoredObservation[]): string[] {
  const groups = new Map<string, StoredObservation[]>();
  for (const o of rows) {
    if (o.suspect === undefined) continue;
    const key = `${o.source}\u0000${o.observedAt}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.values()].map((held) => {
    const [first] = held as [StoredObservation];
    const named = held.slice(0, 3).map((o) => `${o.subject} ${o.metric} ${o.period} ${o.suspect}`);
    const more = held.length > 3 ? `; and ${held.length - 3} more` : '';
    return `${first.source}: ${held.length} value(s) observed ${first.observedAt} are held back as suspect and the last good values are shown instead (${named.join('; ')}${more}); an independent later run (a later day's, or one 6 h later) that sees the same confirms them, or collect with --accept-drops`;
  });
}
