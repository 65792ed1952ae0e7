import type { Report, SectionOf } from '../../analyze/report-types.js';
import type { YearlyPoint } from '../../analyze/yearly-count/types.js';
import { methodWords } from './summary.js';
import type { LineChartInput } from '../chart/line-chart-input.js';
import { lineChartSvg } from '../chart/line-chart.js';
import type { ChartScale } from '../chart/y-axis.js';

/**
 * `<files>_trend.svg`, the article's chart: a value per year per keyword, lines with markers, drawn by the
 * shared line chart. The partial year is drawn distinctly: a dashed segment to a hollow marker at its
 * adjusted value, under a shaded column labelled "adjusted for YYYY". Missing years break the line.
 */

/** One panel of the chart: which value of a point it plots, and how its axis is titled. */
export interface YearlyView {
  yLabel: string;
  /** The value drawn for a point (in the partial year, its estimate), null when there is none. */
  value(point: YearlyPoint): number | null;
  /** Whole numbers (counts): the axis never steps below 1. */
  integer: boolean;
}

export interface YearlyChartOptions {
  /** @default 'linear' */
  scale?: ChartScale;
  /** Panels from top to bottom. @default the counts, then per million when the series has a denominator */
  views?: readonly YearlyView[];
}

/** Counts per year; the partial year at its adjusted value. */
export function countView(section: SectionOf<'yearly-count'>): YearlyView {
  const { unit } = section.series.text;
  return {
    yLabel: `${unit.charAt(0).toUpperCase()}${unit.slice(1)} per year`,
    value: (p) => (p.partial ? p.adjusted : p.count),
    integer: true,
  };
}

/** Counts per million items of the same year in the source; the partial year at its raw ratio so far. */
export function perMillionView(section: SectionOf<'yearly-count'>): YearlyView | undefined {
  const denominator = section.series.denominator;
  if (!denominator) return undefined;
  return { yLabel: `Per million ${denominator.text.unit}`, value: (p) => p.per_million, integer: false };
}

/**
 * The panels a series' chart shows by default: counts, and under them per million when the series has a
 * denominator and a total was stored for at least one of its points (an empty panel would say nothing).
 */
export function defaultViews(section: SectionOf<'yearly-count'>): YearlyView[] {
  const perMillion = perMillionView(section);
  const anyValue = section.data.series.some((s) => s.points.some((p) => p.per_million !== null));
  return perMillion && anyValue ? [countView(section), perMillion] : [countView(section)];
}

export function yearlyChartInput(section: SectionOf<'yearly-count'>, report: Report, options: YearlyChartOptions = {}): LineChartInput {
  const { series, adjustment } = section.data;
  const { title, source } = section.series.text;
  const years = [...new Set(series.flatMap((s) => s.points.map((p) => p.year)))].sort((a, b) => a - b);
  const views = options.views ?? defaultViews(section);
  const pointsOf = (points: readonly YearlyPoint[]) => years.map((year) => points.find((p) => p.year === year));
  const partialYears = years.filter((year) =>
    series.some((s) => s.points.some((p) => p.year === year && p.partial && p.adjusted !== null)),
  );
  return {
    title,
    subtitle: subtitleFor(section, report),
    categories: years.map(String),
    xLabel: section.series.text.yearAxis,
    legendTitle: 'Keyword',
    panels: views.map((view) => ({
      yLabel: view.yLabel,
      scale: options.scale ?? 'linear',
      integer: view.integer,
      series: series.map((s) => {
        const points = pointsOf(s.points);
        const values = points.map((p) => (p ? view.value(p) : null));
        return { name: s.keyword, values, estimated: points.map((p, i) => p?.partial === true && values[i] !== null) };
      }),
    })),
    highlights: partialYears.map((year) => ({ category: years.indexOf(year), label: `adjusted for ${year}` })),
    estimateLegend: ['partial year,', adjustment.method === 'mixed' ? 'estimate per keyword' : `${adjustment.method} estimate`],
    dataFile: `${section.series.files}_by_year_wide.csv`,
    emptyMessage: `No ${source} counts are stored for the configured range yet.`,
    notices: report.data_notices,
  };
}

export function yearlyChartSvg(section: SectionOf<'yearly-count'>, report: Report, options: YearlyChartOptions = {}): string {
  return lineChartSvg(yearlyChartInput(section, report, options));
}

function subtitleFor(section: SectionOf<'yearly-count'>, report: Report): string {
  const { adjustment } = section.data;
  const parts = [`As of ${report.as_of}`];
  if (adjustment.partial_year !== null)
    parts.push(`${adjustment.partial_year} is partial: ${methodWords(adjustment)} from counts of ${adjustment.as_of}`);
  if (report.data_origin === 'replayed') parts.push('replayed data');
  return parts.join(' · ');
}
