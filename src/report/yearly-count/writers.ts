import { DEFAULT_MAX_SERIES } from '../chart/drawn-series.js';
import { YEARLY_COLUMNS, yearlyCsv, yearlyWideCsv } from './csv.js';
import { defineKindWriters, SPEC_DESCRIPTION } from '../kind-writers.js';
import { lineChartSpec } from '../chart/line-chart-spec.js';
import { specJson } from '../chart/vega-lite.js';
import { yearlyChartInput, yearlyChartSvg } from './chart.js';
import { yearlySummary } from './summary.js';
import { yearlyPage } from './page.js';

export const yearlyCountWriters = defineKindWriters<'yearly-count'>({
  csvs: (section, _report, options) => {
    const { files } = section.series;
    return [
      {
        name: `${files}_by_year.csv`,
        description: `one row per year and keyword: ${YEARLY_COLUMNS.join(',')}; adjusted = value used for shares/growth (the count in complete years); per_million = count per million ${section.series.denominator ? `${section.series.denominator.text.unit} of the same year` : 'items of the year (empty: this source stores no yearly total)'}; empty = not available`,
        content: () => yearlyCsv(section, options),
      },
      {
        name: `${files}_by_year_wide.csv`,
        description: `chart-ready: year, one column per keyword with the adjusted-or-final value (chart these), one "<keyword> raw" column per keyword with the stored count, then partial (true when the row holds a partial-year estimate)${section.series.denominator ? ', then one "<keyword> per million" column per keyword' : ''}`,
        content: () => yearlyWideCsv(section, options),
      },
    ];
  },
  charts: (section, report, options) => [
    {
      name: `${section.series.files}_trend.svg`,
      description: `${section.series.text.unit} per year per keyword${section.series.denominator ? `, and below them per million ${section.series.denominator.text.unit} of the year` : ''} (${options.scale ?? 'linear'} scale; past ${DEFAULT_MAX_SERIES} keywords the ${DEFAULT_MAX_SERIES - 1} largest by latest value, the rest summed as others); the partial year dashed to its adjusted value${section.series.denominator ? ' (per million: its raw share so far)' : ''}`,
      content: () => yearlyChartSvg(section, report, options),
    },
    {
      name: `${section.series.files}_trend.vl.json`,
      description: `Vega-Lite spec of ${section.series.files}_trend.svg ${SPEC_DESCRIPTION}`,
      content: () => specJson(lineChartSpec(yearlyChartInput(section, report, options))),
    },
  ],
  summary: yearlySummary,
  page: yearlyPage,
});
