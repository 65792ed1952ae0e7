import { buildReport } from '../../src/analyze/build-report.js';
import type { Report } from '../../src/analyze/report-types.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { articleHub, config, pubmedHistory } from '../analyze/helpers.js';

/** The article's Hub snapshot plus a small PubMed history, as one report (shared by the writer tests). */
export function articleObservations(): StoredObservation[] {
  return [...articleHub(), ...pubmedHistory()];
}

export function articleReport(options: { replayed?: boolean; observations?: StoredObservation[]; notices?: string[] } = {}): Report {
  return buildReport({
    observations: options.observations ?? articleObservations(),
    config: config(),
    asOf: '2024-07-20',
    generatedAt: '2024-07-21T08:00:00.000Z',
    replayed: options.replayed ?? false,
    notices: options.notices ?? [],
  });
}

/** Splits simple CSV (no quoted commas in the checked columns) into header-keyed records. */
export function parseSimpleCsv(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trimEnd().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i]!, cell])));
}
