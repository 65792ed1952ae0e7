import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../analyze/report-types.js';
import type { StoredObservation } from '../core/observation.js';
import { writeFileAtomic } from './atomic-write.js';
import { hfModelsCsv } from './hf-models-csv.js';
import { hubChartSvg } from './hub-chart.js';
import { observationsCsv } from './observations-csv.js';
import { pubmedChartSvg } from './pubmed-chart.js';
import { pubmedCsv, pubmedWideCsv } from './pubmed-csv.js';
import { reportJson } from './report-json.js';

export interface WriteOptions {
  /** Prefix CSVs with a UTF-8 byte order mark (Excel on Windows guesses the encoding otherwise). @default false */
  bom?: boolean;
}

/** The stored history, one row per observation: it needs the store, not the analysis. */
export const HISTORY_CSV = 'observations.csv';

/**
 * Writes the outputs computed from the report (every file but observations.csv) into `outDir` (created if
 * needed), each atomically; returns the paths written, in order.
 */
export async function writeReportFiles(report: Report, outDir: string, options: WriteOptions = {}): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const csv = { bom: options.bom ?? false };
  const files: [string, string][] = [
    ['report.json', reportJson(report)],
    ['hf_models.csv', hfModelsCsv(report, csv)],
    ['pubmed_by_year.csv', pubmedCsv(report, csv)],
    ['pubmed_by_year_wide.csv', pubmedWideCsv(report, csv)],
    ['pubmed_trend.svg', pubmedChartSvg(report)],
    ['hf_models.svg', hubChartSvg(report)],
  ];
  const written: string[] = [];
  for (const [name, content] of files) {
    const path = join(outDir, name);
    await writeFileAtomic(path, content);
    written.push(path);
  }
  return written;
}

/** Every output, observations.csv (from `observations`) included; returns the paths written. */
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
