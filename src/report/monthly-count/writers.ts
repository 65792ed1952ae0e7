import { lineChartSpec } from '../chart/line-chart-spec.js';
import { specJson } from '../chart/vega-lite.js';
import { defineKindWriters, SPEC_DESCRIPTION } from '../kind-writers.js';
import { monthlyCountChartInput, monthlyCountChartSvg } from './chart.js';
import { monthlyCountColumns, monthlyCountCsv, monthlyCountWideColumns, monthlyCountWideCsv } from './csv.js';
import { monthlyCountSummary } from './summary.js';

export const monthlyCountWriters = defineKindWriters<'monthly-count'>({
  csvs: (section, _report, options) => {
    const { files, text } = section.series;
    return [
      {
        name: `${files}_by_month.csv`,
        description: `${text.source} ${text.unit} per month and framework: ${monthlyCountColumns(section).join(',')} (month YYYY-MM as text; share_pct of the summed ${text.unit} of the first comparison the framework is in; partial = the month is counted through days_covered of its days only, and estimate is its day-proportional estimate where the backtest supports it; ${text.members} summed, joined by +)`,
        content: () => monthlyCountCsv(section, options),
      },
      {
        name: `${files}_by_month_wide.csv`,
        description: `chart-ready: ${monthlyCountWideColumns(section).join(',')}: the month, then one column per framework with its ${text.unit} (the last month may be partial: see ${files}_by_month.csv)`,
        content: () => monthlyCountWideCsv(section, options),
      },
    ];
  },
  charts: (section, report, options) => {
    const { chart, text } = section.series;
    return [
      {
        name: chart,
        description: `${text.unit} per month per framework (${options.scale ?? 'linear'} scale) and, under them, each framework's share of its first comparison; the partial month dashed to its estimate, or left out where the estimate is withheld`,
        content: () => monthlyCountChartSvg(section, report, options),
      },
      {
        name: chart.replace(/\.svg$/, '.vl.json'),
        description: `Vega-Lite spec of ${chart} ${SPEC_DESCRIPTION}`,
        content: () => specJson(lineChartSpec(monthlyCountChartInput(section, report, options))),
      },
    ];
  },
  summary: monthlyCountSummary,
});
