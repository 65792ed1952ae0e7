import type { ChartScale } from './y-axis.js';

/**
 * What the line chart draws: plain data, no drawing decisions. A kind's chart.ts fills it from its section;
 * line-chart.ts lays it out as SVG and line-chart-spec.ts as a Vega-Lite spec.
 */
export interface LineChartInput {
  title: string;
  subtitle: string;
  /** The x axis, left to right, evenly spaced (years, months, quarters). */
  categories: readonly string[];
  xLabel: string;
  /** Heading of the legend (`Keyword`). */
  legendTitle: string;
  /**
   * One or more panels stacked over the shared x axis, each with its own y axis (counts, then per million,
   * say). Every panel has the same series names in the same order.
   */
  panels: readonly ChartPanel[];
  /** Shaded columns labelled above the plot (`adjusted for 2024`). */
  highlights?: readonly { category: number; label: string }[];
  /** Legend lines explaining the estimate style (`partial year,`, `lag-aware estimate`); none: no entry. */
  estimateLegend?: readonly string[];
  /** Series drawn on their own at most; past it, the largest by latest value and the rest summed. @default 10 */
  maxSeries?: number;
  /** Where every series can be found, for the line naming those summed as others. */
  dataFile?: string;
  /** Said in place of the plot when no panel has a value. */
  emptyMessage: string;
  /** report.data_notices: drawn in the NOTICE band and put in the title. */
  notices: readonly string[];
}

export interface ChartPanel {
  yLabel: string;
  scale: ChartScale;
  /** Whole numbers (counts): the axis never steps below 1. */
  integer?: boolean;
  /** The most a value can be (100 for a share in percent): a linear axis's headroom never runs past it. */
  max?: number;
  series: readonly ChartSeries[];
}

export interface ChartSeries {
  name: string;
  /** One value per category; null where not observed (the line breaks there). */
  values: readonly (number | null)[];
  /** true where the value is an estimate: dashed from the previous point to a hollow marker. */
  estimated?: readonly boolean[];
}
