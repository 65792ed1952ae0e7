import type { Report } from '../../src/analyze/report-types.js';
import type { StoredObservation } from '../../src/core/observation.js';
import { monthlyChartSvg } from '../../src/report/monthly-overlap/chart.js';
import { monthlyCsv } from '../../src/report/monthly-overlap/csv.js';
import { overlapChartSvg } from '../../src/report/overlap-snapshot/chart.js';
import { overlapCsv } from '../../src/report/overlap-snapshot/csv.js';
import { renderBacktest as renderSectionBacktest } from '../../src/report/yearly-count/backtest-text.js';
import { yearlyChartSvg } from '../../src/report/yearly-count/chart.js';
import { yearlyCsv, yearlyWideCsv } from '../../src/report/yearly-count/csv.js';
import { articleHub, articleHubMonths, hfMonthlySection, hfSection, pubmedHistory, pubmedSection, reportOf } from '../analyze/helpers.js';

/** The article's Hub snapshot with illustrative months, plus a small PubMed history, as one report (shared by the writer tests). */
export function articleObservations(): StoredObservation[] {
  return [...articleHub(), ...articleHubMonths(), ...pubmedHistory()];
}

export function articleReport(options: { replayed?: boolean; observations?: StoredObservation[]; notices?: string[] } = {}): Report {
  return reportOf(options.observations ?? articleObservations(), { replayed: options.replayed ?? false, notices: options.notices ?? [] });
}

/** Splits simple CSV (no quoted commas in the checked columns) into header-keyed records. */
export function parseSimpleCsv(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trimEnd().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i]!, cell])));
}

/** The writers of the article report's two sections, as `report` calls them. */
export const hfChartSvg = (report: Report) => overlapChartSvg(hfSection(report), report);
export const pubmedChartSvg = (report: Report) => yearlyChartSvg(pubmedSection(report), report);
export const hfTrendSvg = (report: Report) => monthlyChartSvg(hfMonthlySection(report), report);
export const hfByMonthCsv = (report: Report, options: { bom?: boolean } = {}) => monthlyCsv(hfMonthlySection(report), options);
export const hfModelsCsv = (report: Report, options: { bom?: boolean } = {}) => overlapCsv(hfSection(report), options);
export const pubmedCsv = (report: Report, options: { bom?: boolean } = {}) => yearlyCsv(pubmedSection(report), options);
export const pubmedWideCsv = (report: Report, options: { bom?: boolean } = {}) => yearlyWideCsv(pubmedSection(report), options);
export const renderBacktest = (report: Report) => renderSectionBacktest(pubmedSection(report));
