import type { Report, SectionOf } from '../analyze/report-types.js';
import type { SeriesKind } from '../analyze/series.js';
import type { ChartScale } from './chart/y-axis.js';
import type { PagePart } from './page/page-part.js';

/** One output file: its name in --out, what it holds (report.json's `files`), and how to write it. */
export interface OutputFile {
  name: string;
  description: string;
  content(): string;
}

export interface CsvOptions {
  bom?: boolean;
}

export interface ChartOptions {
  /** Value axis of the charts over time. @default 'linear' */
  scale?: ChartScale;
}

/** Said of every .vl.json written beside a chart. */
export const SPEC_DESCRIPTION = 'with its data inline: open it in the Vega editor (https://vega.github.io/editor) to restyle or re-render';

/**
 * One series kind's writers, registered in kinds.ts: its CSVs, its charts, its terminal lines and what its
 * section of report.html shows besides them, from its analysed section alone.
 */
export interface KindWriters<K extends SeriesKind> {
  csvs(section: SectionOf<K>, report: Report, options: CsvOptions): OutputFile[];
  charts(section: SectionOf<K>, report: Report, options: ChartOptions): OutputFile[];
  summary(section: SectionOf<K>): string[];
  /** Its key tables, data age and notes for report.html; the page adds its charts, notices, methodology and queries. */
  page(section: SectionOf<K>, report: Report): PagePart;
}

/** Exists only for typing, as defineCollector. */
export const defineKindWriters = <K extends SeriesKind>(writers: KindWriters<K>): KindWriters<K> => writers;
