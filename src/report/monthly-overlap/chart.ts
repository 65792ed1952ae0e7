import type { MonthlyComparison } from '../../analyze/monthly-overlap/types.js';
import type { Report, SectionOf } from '../../analyze/report-types.js';
import { percent } from '../../analyze/rounding.js';
import type { ChartSeries, LineChartInput } from '../chart/line-chart-input.js';
import { lineChartSvg } from '../chart/line-chart.js';
import { grouped } from '../svg.js';

/**
 * The chart its spec names (hf_trend.svg), drawn by the shared line chart: two panels over the months of each
 * comparison's latest histogram, new items per month per segment and each segment's share of the month's new
 * items. The month of the observation date is still filling: it is drawn dashed to a hollow marker. The
 * undated block is never drawn as a month; the subtitle states it.
 */

type MonthlySection = SectionOf<'monthly-overlap'>;

/** Every comparison's months, oldest first (they share one axis when several comparisons are drawn). */
function monthsOf(comparisons: readonly MonthlyComparison[]): string[] {
  return [...new Set(comparisons.flatMap((c) => c.months.map((m) => m.month)))].sort();
}

/** A series per segment (named with its comparison when there are several), one value per month. */
function segmentSeries(
  comparisons: readonly MonthlyComparison[],
  months: readonly string[],
  value: (segment: MonthlyComparison['months'][number]['segments'][number]) => number | null,
): ChartSeries[] {
  return comparisons.flatMap((c) =>
    c.undated.segments.map((s, i) => {
      const byMonth = new Map(c.months.map((m) => [m.month, m.segments[i]!]));
      const still = (month: string) => c.last_full_month !== null && month > c.last_full_month;
      const values = months.map((month) => {
        const segment = byMonth.get(month);
        return segment === undefined ? null : value(segment);
      });
      return {
        name: comparisons.length === 1 ? s.segment : `${c.comparison}: ${s.segment}`,
        values,
        estimated: months.map((month, j) => still(month) && values[j] !== null),
      };
    }),
  );
}

function undatedSentence(comparisons: readonly MonthlyComparison[], unit: string): string {
  return comparisons
    .map(
      (c) =>
        `${comparisons.length > 1 ? `${c.comparison}: ` : ''}${grouped(c.undated.total)} ${unit} undated (created before dates were stored), not drawn`,
    )
    .join('; ');
}

export function monthlyChartInput(section: MonthlySection, report: Report): LineChartInput {
  const { title, unit, source } = section.series.text;
  const { comparisons } = section.data;
  const months = monthsOf(comparisons);
  const listed = comparisons.map((c) => `${c.comparison} as listed ${c.observed_at}`).join(', ');
  const subtitle = [`As of ${report.as_of}`, `${unit} still listed, by creation month (UTC)`, listed, undatedSentence(comparisons, unit)]
    .concat(report.data_origin === 'replayed' ? ['replayed data'] : [])
    .filter(Boolean)
    .join(' · ');
  return {
    title,
    subtitle,
    categories: months,
    xLabel: 'Month created',
    legendTitle: 'Segment',
    panels: [
      { yLabel: `New ${unit} per month`, scale: 'linear', integer: true, series: segmentSeries(comparisons, months, (s) => s.created) },
      {
        yLabel: `Share of the month's new ${unit} (%)`,
        scale: 'linear',
        series: segmentSeries(comparisons, months, (s) => (s.share === null ? null : percent(s.share))),
      },
    ],
    estimateLegend: ['current month,', 'still filling'],
    dataFile: `${section.series.files}.csv`,
    emptyMessage: `No ${source} ${unit} per month are stored yet: ${section.data.unavailable ?? 'no comparison has a whole histogram'}`,
    notices: report.data_notices,
  };
}

export function monthlyChartSvg(section: MonthlySection, report: Report): string {
  return lineChartSvg(monthlyChartInput(section, report));
}
