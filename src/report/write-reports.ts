import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../analyze/report-types.js';
import type { StoredObservation } from '../core/observation.js';
import { writeFileAtomic } from './atomic-write.js';
import type { ChartScale } from './chart/y-axis.js';
import { filesOf, sectionOutputs } from './kinds.js';
import { observationsCsv } from './observations-csv.js';
import { REPORT_HTML, reportPage } from './page/report-page.js';
import { HISTORY_CSV, REPORT_JSON, reportJson } from './report-json.js';
import { SCORECARD_CSV, scorecardCsv } from './scorecard-csv.js';

export interface WriteOptions {
  /** Prefix CSVs with a UTF-8 byte order mark (Excel on Windows guesses the encoding otherwise). @default false */
  bom?: boolean;
  /** Value axis of the charts over time (yearly counts): linear from 0, or log. @default 'linear' */
  chartScale?: ChartScale;
}

/**
 * Writes the outputs computed from the report (every file but observations.csv) into `outDir` (created if
 * needed), each atomically: report.json, scorecard.csv, each section's CSVs and charts, then report.html (which
 * draws the charts just written inline). Returns the paths written, in order.
 */
export async function writeReportFiles(report: Report, outDir: string, options: WriteOptions = {}): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const bom = options.bom ?? false;
  const outputs = sectionOutputs(report, { bom }, { scale: options.chartScale ?? 'linear' });
  const files = filesOf(outputs);
  const written: string[] = [];
  const contents = new Map<string, string>();
  const write = async (name: string, content: string) => {
    const path = join(outDir, name);
    await writeFileAtomic(path, content);
    contents.set(name, content);
    written.push(path);
  };
  await write(REPORT_JSON, reportJson(report, files));
  await write(SCORECARD_CSV, scorecardCsv(report.scorecard.rows, { bom }));
  for (const file of files) await write(file.name, file.content());
  // Each chart is drawn once: the page inlines the SVG text just written.
  const page = outputs.map((o) => ({
    part: o.page(),
    csvs: o.csvs.map((f) => f.name),
    charts: o.charts
      .filter((f) => f.name.endsWith('.svg'))
      .map((f) => ({ name: f.name, description: f.description, svg: contents.get(f.name)! })),
  }));
  await write(REPORT_HTML, reportPage(report, page));
  return written;
}

/** Every output, observations.csv (the rows `observations` the report was computed from) included; returns the paths written. */
export async function writeReports(
  report: Report,
  observations: readonly StoredObservation[],
  outDir: string,
  options: WriteOptions = {},
): Promise<string[]> {
  const [json, ...rest] = await writeReportFiles(report, outDir, options);
  const history = join(outDir, HISTORY_CSV);
  await writeFileAtomic(history, observationsCsv(observations, { bom: options.bom ?? false }));
  return [json!, history, ...rest];
}
