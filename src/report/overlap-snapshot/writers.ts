import { DAILY_MONTHS } from '../../analyze/overlap-snapshot/kept-history.js';
import { barChartSpec } from '../chart/bar-chart-spec.js';
import { defineKindWriters, SPEC_DESCRIPTION } from '../kind-writers.js';
import { overlapChartInput, overlapChartSvg } from './chart.js';
import { overlapColumns, overlapCsv } from './csv.js';
import { overlapSummary } from './summary.js';
import { specJson } from '../chart/vega-lite.js';
import { overlapPage } from './page.js';

export const overlapSnapshotWriters = defineKindWriters<'overlap-snapshot'>({
  csvs: (section, _report, options) => [
    {
      name: `${section.series.files}.csv`,
      description: `${section.series.text.source} segments per observation date: ${overlapColumns(section).join(',')} (percent, 2 decimals); every date of the newest snapshot's month and the ${DAILY_MONTHS} months before it, then the first of each month (\`adoption-metrics export\` has every date)`,
      content: () => overlapCsv(section, options),
    },
  ],
  charts: (section, report) => [
    {
      name: `${section.series.files}.svg`,
      description: `${section.series.text.source} ${section.series.text.unit} per segment and availability at the latest date of each comparison`,
      content: () => overlapChartSvg(section, report),
    },
    {
      name: `${section.series.files}.vl.json`,
      description: `Vega-Lite spec of ${section.series.files}.svg ${SPEC_DESCRIPTION}`,
      content: () => specJson(barChartSpec(overlapChartInput(section, report))),
    },
  ],
  summary: overlapSummary,
  page: overlapPage,
});
