import type { StoredObservation } from '../core/observation.js';
import type { Indicator } from './indicator.js';
import type { RowSelection } from '../core/row-selection.js';
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
  /**
   * The stored rows `analyze` reads for the series as of `asOf`, as data every store answers alike in SQL
   * (src/core/row-selection.ts), so a report reads what it shows and not the whole history. Asked first with
   * nothing `read`, then again with what was answered, until it asks for nothing new, since what an analysis
   * reads can depend on the data (the day a partial year was last counted, a histogram date that cannot be used).
   * It may look only at rows of the series' own source (it is not asked again when none came), and `analyze`
   * over the answers must give what it gives over the whole history.
   */
  rows(series: KindTypes[K]['series'], asOf: string, read: RowsRead): RowSelection[];
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

/** What a report has read so far. */
export interface RowsRead {
  /** Every row answered so far, whatever series asked for it. */
  rows: readonly StoredObservation[];
  /** Whether every one of `selections` has been answered (their rows are in `rows`). */
  has(...selections: readonly RowSelection[]): boolean;
}

/** Exists only for typing, as defineCollector. */
export const defineKindAnalysis = <K extends SeriesKind>(analysis: KindAnalysis<K>): KindAnalysis<K> => analysis;
