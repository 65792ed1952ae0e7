import type { Report, Section, SectionOf } from '../analyze/report-types.js';
import { barChartSpec } from './chart/bar-chart-spec.js';
import { DEFAULT_MAX_SERIES } from './chart/drawn-series.js';
import { lineChartSpec } from './chart/line-chart-spec.js';
import { specJson } from './chart/vega-lite.js';
import type { ChartScale } from './chart/y-axis.js';
import { monthlyChartInput, monthlyChartSvg } from './monthly-overlap/chart.js';
import { monthlyColumns, monthlyCsv } from './monthly-overlap/csv.js';
import { monthlySummary } from './monthly-overlap/summary.js';
import { overlapChartInput, overlapChartSvg } from './overlap-snapshot/chart.js';
import { overlapColumns, overlapCsv } from './overlap-snapshot/csv.js';
import { overlapSummary } from './overlap-snapshot/summary.js';
import { quarterlyChartInput, quarterlyChartSvg } from './quarterly-share/chart.js';
import { comparisonColumns, comparisonCsv, quarterlyColumns, quarterlyCsv } from './quarterly-share/csv.js';
import { quarterlySummary } from './quarterly-share/summary.js';
import { yearlyChartInput, yearlyChartSvg } from './yearly-count/chart.js';
import { YEARLY_COLUMNS, yearlyCsv, yearlyWideCsv } from './yearly-count/csv.js';
import { yearlySummary } from './yearly-count/summary.js';

/** One output file: its name in --out, what it holds (report.json's `files`), and how to write it. */
export interface OutputFile {
  name: string;
  description: string;
  content(): string;
}

export interface CsvOptions {
  bom?: boolean;
}

export interface ChartOptions {
  /** Value axis of the charts over time. @default 'linear' */
  scale?: ChartScale;
}

/** Said of every .vl.json written beside a chart. */
const SPEC_DESCRIPTION = 'with its data inline: open it in the Vega editor (https://vega.github.io/editor) to restyle or re-render';

/** One set of writers per series kind: its CSVs, its charts and its terminal lines. */
interface KindWriters<S extends Section> {
  csvs(section: S, report: Report, options: CsvOptions): OutputFile[];
  charts(section: S, report: Report, options: ChartOptions): OutputFile[];
  summary(section: S): string[];
}

const YEARLY: KindWriters<SectionOf<'yearly-count'>> = {
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
};

const OVERLAP: KindWriters<SectionOf<'overlap-snapshot'>> = {
  csvs: (section, _report, options) => [
    {
      name: `${section.series.files}.csv`,
      description: `${section.series.text.source} segments per observation date: ${overlapColumns(section).join(',')} (percent, 2 decimals)`,
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
};

const MONTHLY: KindWriters<SectionOf<'monthly-overlap'>> = {
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
};

const QUARTERLY: KindWriters<SectionOf<'quarterly-share'>> = {
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
};

interface SectionWriters {
  csvs(report: Report, options: CsvOptions): OutputFile[];
  charts(report: Report, options: ChartOptions): OutputFile[];
  summary(): string[];
}

function bind<S extends Section>(kind: KindWriters<S>, section: S): SectionWriters {
  return {
    csvs: (report, options) => kind.csvs(section, report, options),
    charts: (report, options) => kind.charts(section, report, options),
    summary: () => kind.summary(section),
  };
}

/** The writers of a section's kind (the switch is exhaustive: a new kind without writers does not compile). */
function writersFor(section: Section): SectionWriters {
  switch (section.kind) {
    case 'yearly-count':
      return bind(YEARLY, section);
    case 'overlap-snapshot':
      return bind(OVERLAP, section);
    case 'monthly-overlap':
      return bind(MONTHLY, section);
    case 'quarterly-share':
      return bind(QUARTERLY, section);
  }
}

/** Every CSV, then every chart, of every section, in report order. */
export function sectionFiles(report: Report, options: CsvOptions, chartOptions: ChartOptions = {}): OutputFile[] {
  const writers = report.sections.map(writersFor);
  return [...writers.flatMap((w) => w.csvs(report, options)), ...writers.flatMap((w) => w.charts(report, chartOptions))];
}

export function sectionSummary(section: Section): string[] {
  return writersFor(section).summary();
}
