import type { Report, Section } from '../analyze/report-types.js';
import type { SectionOf, SeriesKind } from '../analyze/series.js';
import type { ChartOptions, CsvOptions, KindWriters, OutputFile } from './kind-writers.js';
import { monthlyCountWriters } from './monthly-count/writers.js';
import { monthlyOverlapWriters } from './monthly-overlap/writers.js';
import { overlapSnapshotWriters } from './overlap-snapshot/writers.js';
import { quarterlyShareWriters } from './quarterly-share/writers.js';
import { yearlyCountWriters } from './yearly-count/writers.js';

export type { ChartOptions, CsvOptions, OutputFile } from './kind-writers.js';

/** Every kind's writers, by kind (typed by KindTypes: a kind without writers does not compile). */
const KIND_WRITERS: { readonly [K in SeriesKind]: KindWriters<K> } = {
  'monthly-count': monthlyCountWriters,
  'monthly-overlap': monthlyOverlapWriters,
  'overlap-snapshot': overlapSnapshotWriters,
  'quarterly-share': quarterlyShareWriters,
  'yearly-count': yearlyCountWriters,
};

interface SectionWriters {
  csvs(report: Report, options: CsvOptions): OutputFile[];
  charts(report: Report, options: ChartOptions): OutputFile[];
  summary(): string[];
}

// TypeScript does not correlate `section.kind` with `section` through the table, so the one lookup is typed here.
function bind<K extends SeriesKind>(kind: K, section: SectionOf<K>): SectionWriters {
  const writers = KIND_WRITERS[kind] as KindWriters<K>;
  return {
    csvs: (report, options) => writers.csvs(section, report, options),
    charts: (report, options) => writers.charts(section, report, options),
    summary: () => writers.summary(section),
  };
}

const writersFor = (section: Section): SectionWriters => bind(section.kind, section);

/** Every CSV, then every chart, of every section, in report order. */
export function sectionFiles(report: Report, options: CsvOptions, chartOptions: ChartOptions = {}): OutputFile[] {
  const writers = report.sections.map(writersFor);
  return [...writers.flatMap((w) => w.csvs(report, options)), ...writers.flatMap((w) => w.charts(report, chartOptions))];
}

export function sectionSummary(section: Section): string[] {
  return writersFor(section).summary();
}
