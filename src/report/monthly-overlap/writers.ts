import { defineKindWriters, SPEC_DESCRIPTION } from '../kind-writers.js';
import { lineChartSpec } from '../chart/line-chart-spec.js';
import { monthlyChartInput, monthlyChartSvg } from './chart.js';
import { monthlyColumns, monthlyCsv } from './csv.js';
import { monthlySummary } from './summary.js';
import { specJson } from '../chart/vega-lite.js';
import { monthlyPage } from './page.js';

export const monthlyOverlapWriters = defineKindWriters<'monthly-overlap'>({
  csvs: (section, _report, options) => [
    {
      name: `${section.series.files}.csv`,
      description: `${section.series.text.unit} created per month and segment, from each comparison's latest whole histogram, the undated block first: ${monthlyColumns(section).join(',')} (month YYYY-MM or ${section.series.undatedPeriod}; share_pct of the month's new ${section.series.text.unit}, empty when none)${section.data.unavailable === null ? '' : `; empty: ${section.data.unavailable}`}`,
      content: () => monthlyCsv(section, options),
    },
  ],
  charts: (section, report) => [
    {
      name: section.series.chart,
      description: `${section.series.text.source} ${section.series.text.unit} created per month per segment and their share of the month's new ${section.series.text.unit}, from each comparison's latest histogram; the undated block stated, not drawn`,
      content: () => monthlyChartSvg(section, report),
    },
    {
      name: section.series.chart.replace(/\.svg$/, '.vl.json'),
      description: `Vega-Lite spec of ${section.series.chart} ${SPEC_DESCRIPTION}`,
      content: () => specJson(lineChartSpec(monthlyChartInput(section, report))),
    },
  ],
  summary: monthlySummary,
  page: monthlyPage,
});
