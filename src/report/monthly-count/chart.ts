import type { Report, SectionOf } from '../../analyze/report-types.js';
import type { ChartPanel, LineChartInput } from '../chart/line-chart-input.js';
import { lineChartSvg } from '../chart/line-chart.js';
import type { ChartOptions } from '../kind-writers.js';
import { firstComparisonShares } from './shares.js';

type Section = SectionOf<'monthly-count'>;

/**
 * The chart its spec names (`<source>_trend.svg`): counts per month per framework (linear or log scale), and
 * under them each framework's share of its first comparison. The partial month is drawn dashed to a hollow
 * marker at its day-proportional estimate, or not at all where the estimate is withheld (its raw count would
 * read as a fall); its share, from counts of the same days, is dashed too.
 */
export function monthlyCountChartInput(section: Section, report: Report, options: ChartOptions = {}): LineChartInput {
  const { title, unit, source } = section.series.text;
  const { months, series, comparisons, partial_month, through, estimate } = section.data;
  const capital = `${unit.charAt(0).toUpperCase()}${unit.slice(1)}`;
  const counts = series.map((f) => ({
    name: f.framework,
    values: f.points.map((p) => (p.partial ? p.estimate : p.count)),
    estimated: f.points.map((p) => p.partial && p.estimate !== null),
  }));
  const shareOf = firstComparisonShares(section);
  const shares = series.map((f) => ({
    name: f.framework,
    values: f.points.map((p) => shareOf(f.framework, p.month)),
    estimated: f.points.map((p) => p.partial && shareOf(f.framework, p.month) !== null),
  }));
  const panels: ChartPanel[] = [{ yLabel: `${capital} per month`, scale: options.scale ?? 'linear', integer: true, series: counts }];
  if (comparisons.length > 0) {
    const label = comparisons.length === 1 ? comparisons[0]!.comparison : "its first comparison's";
    panels.push({
      yLabel: `Share of ${label} ${unit} (%)`,
      scale: 'linear',
      max: 100,
      series: shares,
    });
  }
  const partialIndex = partial_month === null ? -1 : months.indexOf(partial_month);
  const shown = estimate?.frameworks.filter((f) => f.estimate !== null).length ?? 0;
  const subtitle = [`As of ${report.as_of}`];
  if (through !== null) subtitle.push(`data through ${through}`);
  if (estimate) {
    subtitle.push(
      `${estimate.month} partial (${estimate.days_covered} of ${estimate.days_in_month} days): ${shown === 0 ? 'estimate withheld' : shown === estimate.frameworks.length ? 'day-proportional estimate' : `estimated for ${shown} of ${estimate.frameworks.length}`}`,
    );
  }
  if (report.data_origin === 'replayed') subtitle.push('replayed data');
  return {
    title,
    subtitle: subtitle.join(' · '),
    categories: months,
    xLabel: 'Month',
    legendTitle: 'Framework',
    panels,
    highlights: partialIndex >= 0 ? [{ category: partialIndex, label: `${partial_month} partial` }] : [],
    estimateLegend: partialIndex >= 0 ? ['partial month:', 'estimate, or share so far'] : [],
    dataFile: `${section.series.files}_by_month_wide.csv`,
    emptyMessage: `No ${source} ${unit} are stored yet.`,
    notices: report.data_notices,
  };
}

export function monthlyCountChartSvg(section: Section, report: Report, options: ChartOptions = {}): string {
  return lineChartSvg(monthlyCountChartInput(section, report, options));
}
