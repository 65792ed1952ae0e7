import type { AppConfig } from '../config/types.js';
import type { StoredObservation } from '../core/observation.js';
import { backdatedHubWarnings, type RunInfo } from './backdated.js';
import { auditClaims } from './claims-audit.js';
import { hubComparisons, hubSettings } from './hub-config.js';
import { hubSnapshots } from './hub-shares.js';
import { methodology } from './methodology.js';
import { pubmedKeywords, pubmedYears } from './pubmed-config.js';
import { analyzePubmed } from './pubmed-trend.js';
import type { HubComparison, HubReport, Report } from './report-types.js';
import { dedupeObservations, observedBy } from './select-observations.js';

export interface BuildReportInput {
  /** The whole stored history (every run appends). */
  observations: readonly StoredObservation[];
  config: AppConfig;
  /** `YYYY-MM-DD`; nothing observed later is used. */
  asOf: string;
  /** ISO timestamp, injected so the analysis never reads the clock. */
  generatedAt: string;
  /** Data came from a replay directory, not the live APIs. */
  replayed: boolean;
  /** What the runs behind the data say about it (a replayed archive's NOTICE), shown with every output. */
  notices?: readonly string[];
  /** The runs that stored the observations, by id: flags live Hub counts stored under an earlier date. */
  runs?: ReadonlyMap<number, RunInfo>;
}

/** Everything report.json holds, computed from stored observations alone (pure: no clock, no I/O). */
export function buildReport(input: BuildReportInput): Report {
  const rows = dedupeObservations(observedBy(input.observations, input.asOf));
  const warnings: string[] = [];

  const { comparisons: specs, problems } = hubComparisons(input.config);
  for (const p of problems) warnings.push(`huggingface: ${p}`);
  const hub: HubReport = { configured_method: hubSettings(input.config)?.method ?? null, comparisons: [], skipped: [] };
  const hubRows: StoredObservation[] = [];
  for (const spec of specs) {
    const { snapshots, skipped, latestRows } = hubSnapshots(spec, rows);
    hub.skipped.push(...skipped);
    for (const s of skipped) warnings.push(`huggingface: ${s.comparison} on ${s.observed_at} skipped: ${s.reason}`);
    const latest = snapshots.at(-1);
    if (!latest) {
      hub.skipped.push({ comparison: spec.label, observed_at: null, reason: 'no observation date has every count this comparison needs' });
      warnings.push(`huggingface: ${spec.label} has no usable observation date`);
      continue;
    }
    const comparison: HubComparison = {
      comparison: spec.label,
      frameworks: spec.members.map((m) => m.name),
      ...latest,
      history: snapshots,
    };
    hub.comparisons.push(comparison);
    hubRows.push(...latestRows);
  }

  if (input.runs) warnings.push(...backdatedHubWarnings(hubRows, input.runs));

  const keywords = pubmedKeywords(input.config);
  const years = pubmedYears(input.config, input.asOf);
  if (keywords.length > 0 && !years)
    warnings.push(`pubmed: no year range up to ${input.asOf} is configured (pubmed.fromYear), so no years are reported`);
  const pubmed = analyzePubmed({ rows, keywords, years, asOf: input.asOf });
  warnings.push(...pubmed.warnings);

  return {
    as_of: input.asOf,
    generated_at: input.generatedAt,
    data_origin: rows.length === 0 ? 'none' : input.replayed ? 'replayed' : 'live',
    data_notices: [...(input.notices ?? [])],
    methodology: methodology({ hubMethod: hub.configured_method, keywords, usedRows: [...hubRows, ...pubmed.usedRows] }),
    huggingface: hub,
    audit: auditClaims(hub.comparisons),
    pubmed: pubmed.report,
    warnings,
  };
}
