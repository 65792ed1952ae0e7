import { comparisonColumns, comparisonCsv, quarterlyColumns, quarterlyCsv } from './csv.js';
import { defineKindWriters, SPEC_DESCRIPTION } from '../kind-writers.js';
import { lineChartSpec } from '../chart/line-chart-spec.js';
import { quarterlyChartInput, quarterlyChartSvg } from './chart.js';
import { quarterlySummary } from './summary.js';
import { specJson } from '../chart/vega-lite.js';
import { quarterlyPage } from './page.js';

export const quarterlyShareWriters = defineKindWriters<'quarterly-share'>({
  csvs: (section, _report, options) => {
    const { files, text } = section.series;
    return [
      {
        name: `${files}_by_quarter.csv`,
        description: `${text.source} per quarter and framework: ${quarterlyColumns(section).join(',')}; shares of the quarter's count over every framework, in percent (2 decimals); partial = the quarter was counted in part`,
        content: () => quarterlyCsv(section, options),
      },
      {
        name: `${files}_comparison_by_quarter.csv`,
        description: `${text.source} per quarter, comparison and framework: ${comparisonColumns(section).join(',')}; share_pct = the framework's share of the ${section.data.units[0] ?? 'items'} with any framework of the comparison`,
        content: () => comparisonCsv(section, options),
      },
    ];
  },
  charts: (section, report) => [
    {
      name: `${section.series.files}_share.svg`,
      description: `each compared framework's share of the ${section.data.units[0] ?? 'items'} with any framework of its comparison, per quarter; the partial quarter dashed and labelled`,
      content: () => quarterlyChartSvg(section, report),
    },
    {
      name: `${section.series.files}_share.vl.json`,
      description: `Vega-Lite spec of ${section.series.files}_share.svg ${SPEC_DESCRIPTION}`,
      content: () => specJson(lineChartSpec(quarterlyChartInput(section, report))),
    },
  ],
  summary: quarterlySummary,
  page: quarterlyPage,
});
