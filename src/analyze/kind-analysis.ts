import type { StoredObservation } from '../core/observation.js';
import type { Indicator } from './indicator.js';
import type { AuditEntry } from './report-types.js';
import type { KindTypes, SeriesKind } from './series.js';

/** What a kind's analysis of one series gives the report. */
export interface KindResult<K extends SeriesKind> {
  data: KindTypes[K]['data'];
  warnings: string[];
  /** The rows behind the figures, for provenance and staleness checks. */
  usedRows: StoredObservation[];
}

/**
 * One series kind's analysis, registered in kinds.ts: pure functions of the series' declaration and the stored
 * rows, computed without any knowledge of the source.
 */
export interface KindAnalysis<K extends SeriesKind> {
  /** `rows`: deduplicated, held-back values left out, observed by the as-of date (`YYYY-MM-DD`). */
  analyze(series: KindTypes[K]['series'], rows: readonly StoredObservation[], asOf: string): KindResult<K>;
  methodology(series: KindTypes[K]['series']): KindTypes[K]['methodology'];
  /**
   * The series' scorecard indicators, from its own analysed figures: per framework, the latest settled period
   * against a year before (see indicator.ts; scorecard.ts applies the direction rule). Say in a comment which
   * stored history each needs: it must come from rows the analysis already uses.
   */
  indicators(series: KindTypes[K]['series'], data: KindTypes[K]['data'], asOf: string): Indicator[];
  /** Claims the series' extension checks against the figures (the article's, say), when it carries any. */
  audit?(series: KindTypes[K]['series'], data: KindTypes[K]['data']): Omit<AuditEntry, 'key' | 'source'> | undefined;
}

/** Exists only for typing, as defineCollector. */
export const defineKindAnalysis = <K extends SeriesKind>(analysis: KindAnalysis<K>): KindAnalysis<K> => analysis;
