import type { PubmedPoint, Report } from '../analyze/report-types.js';
import { estimate } from '../analyze/rounding.js';
import { fixed, toCsv, type Cell } from './csv.js';

/**
 * pubmed_by_year.csv (long): one row per year and keyword. `adjusted` is the value used for shares and growth
 * (the count itself in complete years). Both adjustments and the observation date follow the agreed columns.
 */
export const PUBMED_COLUMNS = [
  'year',
  'keyword',
  'count',
  'adjusted',
  'partial',
  'share_pct',
  'yoy_pct',
  'adjusted_linear',
  'adjusted_lag_aware',
  'observed_at',
] as const;

const pct = (fraction: number | null): Cell => fixed(fraction === null ? null : estimate(fraction * 100));

export function pubmedCsv(report: Report, options: { bom?: boolean } = {}): string {
  const rows: Cell[][] = [];
  for (const { year, byKeyword } of yearsAcross(report)) {
    for (const [keyword, p] of byKeyword) {
      rows.push([
        year,
        keyword,
        p.count,
        p.adjusted,
        p.partial,
        pct(p.share),
        pct(p.yoy),
        p.adjusted_linear,
        p.adjusted_lag_aware,
        p.observed_at,
      ]);
    }
  }
  return toCsv(PUBMED_COLUMNS, rows, options);
}

/**
 * pubmed_by_year_wide.csv, for charting: `year`, then one column per keyword with the adjusted-or-final value
 * (select these columns and insert a line chart), then `<keyword> raw` with the stored count, then `partial`.
 */
export function pubmedWideColumns(report: Report): string[] {
  const keywords = report.pubmed.keywords;
  return ['year', ...keywords, ...keywords.map((k) => `${k} raw`), 'partial'];
}

export function pubmedWideCsv(report: Report, options: { bom?: boolean } = {}): string {
  const keywords = report.pubmed.keywords;
  const rows = yearsAcross(report).map(({ year, byKeyword }): Cell[] => {
    const points = keywords.map((k) => byKeyword.get(k));
    return [
      year,
      ...points.map((p) => p?.adjusted ?? null),
      ...points.map((p) => p?.count ?? null),
      points.some((p) => p?.partial === true),
    ];
  });
  return toCsv(pubmedWideColumns(report), rows, options);
}

function yearsAcross(report: Report): { year: number; byKeyword: Map<string, PubmedPoint> }[] {
  const years = new Map<number, Map<string, PubmedPoint>>();
  for (const series of report.pubmed.series) {
    for (const point of series.points) {
      if (!years.has(point.year)) years.set(point.year, new Map());
      years.get(point.year)!.set(series.keyword, point);
    }
  }
  return [...years].sort(([a], [b]) => a - b).map(([year, byKeyword]) => ({ year, byKeyword }));
}
