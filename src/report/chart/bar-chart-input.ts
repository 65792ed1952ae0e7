/**
 * What the horizontal bar chart draws: plain data. A kind's chart.ts fills it; bar-chart.ts lays it out as
 * SVG and bar-chart-spec.ts as a Vega-Lite spec.
 */
export interface BarChartInput {
  title: string;
  subtitle: string;
  /** Blocks one under the other, each with its own scale. */
  groups: readonly BarGroup[];
  /** Said in place of the bars when there is no group. */
  emptyMessage: string;
  /** report.data_notices: drawn in the NOTICE band and put in the title. */
  notices: readonly string[];
}

export interface BarGroup {
  heading: string;
  /** The value drawn across the full bar width (a comparison's union, say). */
  max: number;
  rows: readonly (BarRow | BarCaption)[];
}

export interface BarRow {
  kind: 'bar';
  label: string;
  value: number;
  /** Drawn after the bar: `180,549 (91.10 %)`. */
  valueLabel: string;
  colour: string;
  /** hollow: outlined (an overlapping total, say); hatched: stripes, to tell apart a colour used twice. */
  fill: 'solid' | 'hollow' | 'hatched';
  /** Dots drawn between label and bar, one column each (membership, say); null: an empty dot. */
  dots?: readonly (BarDot | null)[];
}

export interface BarCaption {
  kind: 'caption';
  text: string;
}

export interface BarDot {
  colour: string;
  /** A ring instead of a disc, to tell apart a colour used twice (as `hatched` does for bars). */
  ring?: boolean;
}
