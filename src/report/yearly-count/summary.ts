import type { SectionOf } from '../../analyze/report-types.js';
import type { Adjustment, KeywordSeries, YearlyPoint } from '../../analyze/yearly-count/types.js';
import { topSeries } from '../chart/top-series.js';
import { textTable } from '../text-table.js';

/** Years shown in the terminal; the files have them all. */
const SUMMARY_YEARS = 8;
/** Keyword columns shown in the terminal: past it, the largest by latest value and a line saying where the rest are. */
const SUMMARY_KEYWORDS = 6;

/** A year's count; in the partial year the estimate and, in parentheses, the count so far. */
export function cell(p: YearlyPoint | undefined, format: (n: number) => string = String): string {
  if (!p || p.count === null) return p?.partial ? 'n/a*' : 'n/a';
  if (!p.partial) return format(p.count);
  if (p.adjusted === null) return `withheld* (${format(p.count)})`;
  return `${format(Math.round(p.adjusted))}* (${format(p.count)})`;
}

/** Every keyword when they fit (one more than the cap, too), else the SUMMARY_KEYWORDS largest in config order. */
export function shownSeries(series: readonly KeywordSeries[]): KeywordSeries[] {
  const { keep } = topSeries(
    series.map((s) => ({ name: s.keyword, values: s.points.map((p) => p.adjusted) })),
    SUMMARY_KEYWORDS + 1,
  );
  return keep.map((i) => series[i]!);
}

/** The last years' counts per keyword (the partial year marked), the first row the headings: the terminal's and the page's table. */
export function yearRows(
  section: SectionOf<'yearly-count'>,
  series: readonly KeywordSeries[],
  value: (p: YearlyPoint | undefined) => string = (p) => cell(p),
): string[][] {
  const years = [...new Set(section.data.series.flatMap((s) => s.points.map((p) => p.year)))].sort((a, b) => a - b).slice(-SUMMARY_YEARS);
  return [
    ['year', ...series.map((s) => s.keyword)],
    ...years.map((year) => [String(year), ...series.map((s) => value(s.points.find((p) => p.year === year)))]),
  ];
}

/** `lag-aware estimate`, or each keyword's method when they differ. */
export function methodWords(adjustment: Adjustment): string {
  if (adjustment.method === 'lag-aware' || adjustment.method === 'linear') return `${adjustment.method} estimate`;
  if (adjustment.method === 'withheld') return 'no estimate yet';
  const by = (method: string) => Object.keys(adjustment.methods).filter((k) => adjustment.methods[k] === method);
  const parts = ['lag-aware', 'linear', 'withheld']
    .filter((m) => by(m).length > 0)
    .map((m) => `${m === 'withheld' ? 'none' : m} for ${by(m).join(', ')}`);
  return `estimates per keyword, ${parts.join('; ')}`;
}

/** Terminal lines of a yearly-count series: the last years per keyword, the partial year marked. */
export function yearlySummary(section: SectionOf<'yearly-count'>): string[] {
  const { label } = section.series.text;
  const { series } = section.data;
  if (series.length > 0 && series.every((s) => s.observed_at === null)) {
    // A table of n/a says nothing; the warnings name each keyword and the command to run.
    return ['', `${label}: none stored yet for ${series.map((s) => s.keyword).join(', ')}`];
  }
  if (series.length === 0) return ['', `${label}: no keywords configured or no counts stored`];
  const shown = shownSeries(series);
  const out = ['', label, textTable(yearRows(section, shown), [false, ...shown.map(() => true)])];
  out.push(...yearlyNotes(section, shown).map((line) => `  ${line}`));
  const perMillion = perMillionLine(section, shown);
  if (perMillion) out.push(perMillion);
  out.push(`  observed: ${observedLine(series, shown.length < series.length)}`);
  return out;
}

/** What the table leaves out and its partial year, in words (under the table in the terminal and on the page). */
export function yearlyNotes(section: SectionOf<'yearly-count'>, shown: readonly KeywordSeries[]): string[] {
  const { adjustment, series } = section.data;
  const out: string[] = [];
  if (shown.length < series.length) {
    out.push(
      `… ${series.length - shown.length} more keywords in ${section.series.files}_by_year_wide.csv (the largest by latest value are shown)`,
    );
  }
  if (adjustment.partial_year !== null) {
    out.push(
      `* ${adjustment.partial_year} is partial: ${methodWords(adjustment)} (raw count so far in parentheses), counts observed ${adjustment.as_of}`,
    );
    for (const [keyword, reason] of Object.entries(adjustment.withheld)) out.push(`* no estimate for ${keyword}: ${reason}`);
  }
  return out;
}

/** The latest complete year's counts per million items of that year, for a series with a denominator. */
function perMillionLine(section: SectionOf<'yearly-count'>, shown: readonly KeywordSeries[]): string | undefined {
  const denominator = section.series.denominator;
  if (!denominator) return undefined;
  const complete = shown.flatMap((s) => s.points.filter((p) => !p.partial && p.per_million !== null).map((p) => p.year));
  // A broken total (smaller than a count) is stored but not used: the warnings name it.
  if (complete.length === 0) {
    return `  per million ${denominator.text.unit}: no usable total of a complete year stored (the warnings name a broken one)`;
  }
  const year = Math.max(...complete);
  const values = shown.map((s) => {
    const value = s.points.find((p) => p.year === year)?.per_million ?? null;
    return `${s.keyword} ${value === null ? 'n/a' : value.toFixed(1)}`;
  });
  return `  per million ${denominator.text.unit} in ${year}: ${values.join(', ')}`;
}

/** When each keyword was observed; with many keywords, grouped by date (names only for small groups). */
function observedLine(series: readonly KeywordSeries[], grouped: boolean): string {
  if (!grouped) return series.map((s) => `${s.keyword} ${s.observed_at ?? 'never'}`).join(', ');
  const byDate = new Map<string, string[]>();
  for (const s of series) byDate.set(s.observed_at ?? 'never', [...(byDate.get(s.observed_at ?? 'never') ?? []), s.keyword]);
  const dates = [...byDate.keys()].sort((a, b) => (a === 'never' ? 1 : b === 'never' ? -1 : b.localeCompare(a)));
  return dates
    .map((date) => {
      const names = byDate.get(date)!;
      return `${date} (${names.length > 5 ? `${names.length} keywords` : names.join(', ')})`;
    })
    .join(', ');
}
