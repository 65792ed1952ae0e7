import type { Report, SectionOf } from '../../analyze/report-types.js';
import { percent } from '../../analyze/rounding.js';
import type { LineChartInput } from '../chart/line-chart-input.js';
import { lineChartSvg } from '../chart/line-chart.js';

type Section = SectionOf<'quarterly-share'>;

/**
 * `<files>_share.svg`: each comparison member's share of the items with any member, per quarter (the article's
 * "7 % to 85 %" curve). The partial quarter is dashed to a hollow marker under a shaded, labelled column: it is
 * what was counted, not an estimate of the whole quarter.
 */
export function quarterlyChartInput(section: Section, report: Report): LineChartInput {
  const { quarters, comparisons, partial_quarter, observed_at } = section.data;
  const { title, source, quarterAxis } = section.series.text;
  const [unit = 'items'] = section.data.units;
  const several = comparisons.length > 1;
  const series = comparisons.flatMap((c) =>
    c.frameworks.map((framework) => {
      const points = quarters.map((q) => c.points.find((p) => p.quarter === q && p.framework === framework));
      const values = points.map((p) => (p && p.count !== null && p.union ? percent(p.count / p.union) : null));
      return {
        name: several ? `${framework} (${c.comparison})` : framework,
        values,
        estimated: points.map((p, i) => p?.partial === true && values[i] !== null),
      };
    }),
  );
  const partialIndex = partial_quarter === null ? -1 : quarters.indexOf(partial_quarter);
  const subtitle = [`As of ${report.as_of}`];
  if (observed_at !== null) subtitle.push(`counted ${observed_at}`);
  if (partialIndex >= 0) subtitle.push(`${partial_quarter} counted through ${section.data.counted_through}`);
  if (report.data_origin === 'replayed') subtitle.push('replayed data');
  const label = comparisons.length === 1 ? ` with ${comparisons[0]!.frameworks.join(' or ')}` : ' with any framework compared';
  return {
    title,
    subtitle: subtitle.join(' · '),
    categories: quarters,
    xLabel: quarterAxis,
    legendTitle: several ? 'Framework (comparison)' : 'Framework',
    panels: [{ yLabel: `Share of ${unit}${label} (%)`, scale: 'linear', max: 100, series }],
    highlights: partialIndex >= 0 ? [{ category: partialIndex, label: `${partial_quarter} partial` }] : [],
    estimateLegend: partialIndex >= 0 ? ['partial quarter,', 'not extrapolated'] : [],
    dataFile: `${section.series.files}_comparison_by_quarter.csv`,
    emptyMessage: `No ${source} counts are stored yet.`,
    notices: report.data_notices,
  };
}

export function quarterlyChartSvg(section: Section, report: Report): string {
  return lineChartSvg(quarterlyChartInput(section, report));
}
