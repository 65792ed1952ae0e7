import type { SectionOf } from '../../analyze/report-types.js';
import { estimate } from '../../analyze/rounding.js';
import type { YearlyPoint } from '../../analyze/yearly-count/types.js';
import { type Cell, fixed, toCsv } from '../csv.js';

type YearlySection = SectionOf<'yearly-count'>;

/**
 * `<files>_by_year.csv` (long): one row per year and keyword. `adjusted` is the value used for shares and growth
 * (the count itself in complete years). Both adjustments and the observation date follow the agreed columns.
 */
export const YEARLY_COLUMNS = [
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
  // Added after the first release: new columns only ever go at the end.
  'estimate_method',
  'withheld_reason',
  'per_million',
] as const;

const pct = (fraction: number | null): Cell => fixed(fraction === null ? null : estimate(fraction * 100));

export function yearlyCsv(section: YearlySection, options: { bom?: boolean } = {}): string {
  const rows: Cell[][] = [];
  for (const { year, byKeyword } of yearsAcross(section)) {
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
        p.estimate_method,
        p.withheld_reason,
        p.per_million,
      ]);
    }
  }
  return toCsv(YEARLY_COLUMNS, rows, options);
}

/**
 * `<files>_by_year_wide.csv`, for charting: `year`, then one column per keyword with the adjusted-or-final value
 * (select these columns and insert a line chart), then `<keyword> raw` with the stored count, then `partial`;
 * for a series with a denominator, then `<keyword> per million`.
 */
export function yearlyWideColumns(section: YearlySection): string[] {
  const keywords = section.data.keywords;
  const perMillion = section.series.denominator ? keywords.map((k) => `${k} per million`) : [];
  return ['year', ...keywords, ...keywords.map((k) => `${k} raw`), 'partial', ...perMillion];
}

export function yearlyWideCsv(section: YearlySection, options: { bom?: boolean } = {}): string {
  const keywords = section.data.keywords;
  const rows = yearsAcross(section).map(({ year, byKeyword }): Cell[] => {
    const points = keywords.map((k) => byKeyword.get(k));
    return [
      year,
      ...points.map((p) => p?.adjusted ?? null),
      ...points.map((p) => p?.count ?? null),
      points.some((p) => p?.partial === true),
      ...(section.series.denominator ? points.map((p) => p?.per_million ?? null) : []),
    ];
  });
  return toCsv(yearlyWideColumns(section), rows, options);
}

function yearsAcross(section: YearlySection): { year: number; byKeyword: Map<string, YearlyPoint> }[] {
  const years = new Map<number, Map<string, YearlyPoint>>();
  for (const series of section.data.series) {
    for (const point of series.points) {
      if (!years.has(point.year)) years.set(point.year, new Map());
      years.get(point.year)!.set(series.keyword, point);
    }
  }
  return [...years].sort(([a], [b]) => a - b).map(([year, byKeyword]) => ({ year, byKeyword }));
}
