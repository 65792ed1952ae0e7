import type { Indicator, IndicatorValue, MissingBaseline } from '../indicator.js';
import { estimate } from '../rounding.js';
import type { YearlyCountSeries } from './spec.js';
import type { YearlyPoint, YearlyReport } from './types.js';

/**
 * Per keyword: its share of the keyword mentions (the CSV's share_pct) and, with a denominator, its count per
 * million items of the year (the CSV's per_million), in the last complete year against the year before.
 * Stored history needed: each keyword's latest count of those two years and the two years' totals, which the
 * analysis already selects for its points (nothing older, nothing of other dates).
 */
export function yearlyIndicators(series: YearlyCountSeries, data: YearlyReport, asOf: string): Indicator[] {
  if (data.to_year === null) return [];
  // The as-of year is still running; a configured range may end earlier.
  const year = Math.min(data.to_year, Number(asOf.slice(0, 4)) - 1);
  const { source } = series.text;
  const indicators: Indicator[] = [];
  for (const keyword of data.series) {
    const latest = keyword.points.find((p) => p.year === year);
    if (!latest || latest.count === null || latest.observed_at === null) continue; // nothing stored: no row
    const before = keyword.points.find((p) => p.year === year - 1);
    const share = (p: YearlyPoint) => (p.share === null ? null : estimate(p.share * 100));
    const shareValue = share(latest);
    if (shareValue !== null) {
      indicators.push({
        framework: keyword.keyword,
        indicator: 'share of keyword mentions',
        label: `${source} mentions`,
        measure: 'share',
        unit: '%',
        latest: { period: String(year), value: shareValue, observedAt: latest.observed_at },
        baseline: baselineOf(before, year - 1, share, data, 'the configured keywords do not all have a count for it'),
        notes: partialNotes([latest, before], 'its adjusted estimate is used'),
      });
    }
    const denominator = series.denominator;
    if (denominator && latest.per_million !== null) {
      indicators.push({
        framework: keyword.keyword,
        indicator: `${series.text.unit} per million ${denominator.text.unit}`,
        label: `${source} per million`,
        measure: 'rate',
        unit: `per million ${denominator.text.unit}`,
        latest: { period: String(year), value: latest.per_million, observedAt: latest.observed_at },
        baseline: baselineOf(before, year - 1, (p) => p.per_million, data, `no total of all ${denominator.text.unit} is stored for it`),
        notes: partialNotes([latest, before], 'its raw count over the raw total of the same day is used'),
      });
    }
  }
  return indicators;
}

function baselineOf(
  point: YearlyPoint | undefined,
  year: number,
  value: (p: YearlyPoint) => number | null,
  data: YearlyReport,
  whyNoValue: string,
): IndicatorValue | MissingBaseline {
  const period = String(year);
  if (!point) return { period, missing: `${year} is before the years reported (from ${data.from_year})` };
  if (point.count === null || point.observed_at === null) return { period, missing: `no count is stored for ${year}` };
  const v = value(point);
  if (v === null) return { period, missing: `${year} has no value: ${whyNoValue}` };
  return { period, value: v, observedAt: point.observed_at };
}

/** A complete year last counted before it ended is still partial: said, with which value stands in for it. */
function partialNotes(points: readonly (YearlyPoint | undefined)[], used: string): string[] {
  return points
    .filter((p): p is YearlyPoint => p?.partial === true && p.count !== null)
    .map((p) => `partial data: ${p.year} was last counted ${p.observed_at}, before the year ended; ${used}`);
}
